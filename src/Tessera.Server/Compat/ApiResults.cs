using Tessera.Server.Data;

namespace Tessera.Server.Compat;

/// <summary>
/// The results every API handler returns: HTTP 200 with the envelope on success (creates and
/// deletes too), the HTTP status with error objects otherwise.
/// </summary>
public static class ApiResults
{
    public static IResult Ok(object data) => new EnvelopeResult(StatusCodes.Status200OK, data, [], null);

    /// <summary>Success with extra top-level members beside <c>data</c> and <c>errors</c> (a feed's <c>next_cursor</c>, say).</summary>
    public static IResult Ok(object data, IReadOnlyDictionary<string, object?> extra) =>
        new EnvelopeResult(StatusCodes.Status200OK, data, [], extra);

    /// <summary>A list with the <c>count</c> block of keyword searches; Stackla sends the numbers as strings.</summary>
    public static IResult Ok(object data, long resultsTotal, long total) =>
        new EnvelopeResult(StatusCodes.Status200OK, data, [], new Dictionary<string, object?>
        {
            ["count"] = new Dictionary<string, string>
            {
                ["results_total"] = resultsTotal.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["total"] = total.ToString(System.Globalization.CultureInfo.InvariantCulture),
            },
        });

    public static IResult Error(ApiError error) => new EnvelopeResult(error.Code, null, [error], null);

    public static IResult Error(ApiResource resource, int status, string reason, string message) =>
        Error(ApiError.Create(resource, status, reason, message));

    public static IResult NotFound(ApiResource resource, string what) =>
        Error(resource, StatusCodes.Status404NotFound, "not_found", $"{what} not found");

    /// <summary>
    /// The answer when a save lost a race (see <see cref="SaveOutcomes.TrySaveAsync"/>): 404 when the
    /// <paramref name="what"/> is gone, 400 when a tag it uses was deleted, else 409 <c>concurrent_update</c>.
    /// </summary>
    public static IResult SaveFailed(ApiResource resource, string what, SaveOutcome outcome) => outcome switch
    {
        SaveOutcome.Missing => NotFound(resource, what),
        SaveOutcome.MissingReference => Error(resource, StatusCodes.Status400BadRequest, "tag_not_found", $"tags: a tag was deleted while the {what} was being saved"),
        _ => Error(resource, StatusCodes.Status409Conflict, "concurrent_update", $"the {what} was changed by another request at the same time; read it and try again"),
    };

    /// <summary>400 with one error object per invalid field.</summary>
    public static IResult Invalid(IReadOnlyList<ApiError> errors) =>
        new EnvelopeResult(StatusCodes.Status400BadRequest, null, errors, null);

    public static IResult Invalid(FieldReader fields) => Invalid(fields.Errors);

    private sealed class EnvelopeResult(int status, object? data, IReadOnlyList<ApiError> errors, IReadOnlyDictionary<string, object?>? extra)
        : IResult, IStatusCodeHttpResult
    {
        public int? StatusCode => status;

        public Task ExecuteAsync(HttpContext httpContext) => Envelope.WriteAsync(httpContext, status, data, errors, extra);
    }
}
