namespace Tessera.Server.Compat;

/// <summary>
/// REST pagination (decisions §2.8): <c>page</c> from 1, <c>limit</c> 1–100 (default 25).
/// Out-of-range values are a 400. Pages are capped so an offset never exceeds 100,000 rows;
/// deeper reads use <c>since_id</c> or the change feed.
/// </summary>
public readonly record struct Paging(int Page, int Limit)
{
    public const int DefaultLimit = 25;
    public const int MaxLimit = 100;
    public const int MaxOffset = 100_000;

    public int Skip => (Page - 1) * Limit;

    public static Paging Read(FieldReader fields)
    {
        var limit = ReadLimit(fields, DefaultLimit, MaxLimit);
        var page = fields.IsBlank("page") ? 1 : fields.Int("page", 1, (MaxOffset / limit) + 1) ?? 1;
        return new Paging(page, limit);
    }

    /// <summary><c>limit</c> within 1–<paramref name="max"/> (else an error); an empty value (the PHP SDK's rendering of 0/null) means "not given".</summary>
    public static int ReadLimit(FieldReader fields, int defaultLimit, int max) =>
        fields.IsBlank("limit") ? defaultLimit : fields.Int("limit", 1, max) ?? defaultLimit;
}
