using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Tessera.Server.Compat;

/// <summary>
/// Reads the parameters of an API request from the query string and the body, whatever encoding
/// the client chose: urlencoded, multipart, or JSON (also when sent without a Content-Type, as the
/// PHP SDK does for widgets). Bodies are bounded; a body that cannot be read is a 400. The query is
/// read first and on its own, so the credentials in it still count when the body cannot be read.
/// </summary>
public static class ApiRequestReader
{
    public const int MaxBodyBytes = 1024 * 1024;
    public const int MaxMultipartBytes = 16 * 1024 * 1024;
    public const int MaxQueryBytes = 64 * 1024;
    public const int MaxJsonDepth = 16;

    /// <summary>Bounded depth; a repeated key is an error, not a silent last-wins.</summary>
    public static readonly JsonDocumentOptions JsonOptions = new() { MaxDepth = MaxJsonDepth, AllowDuplicateProperties = false };

    private static readonly UTF8Encoding StrictUtf8 = new(false, throwOnInvalidBytes: true);

    public static ApiParameters ReadQuery(HttpRequest request) =>
        ApiParameters.FromQuery(ApiParameters.FromPairs(UrlEncoding.Parse(request.QueryString.Value ?? string.Empty, ApiParameters.MaxPairs)));

    /// <summary>The body's parameters merged over <paramref name="query"/>; <paramref name="query"/> itself when there is no body.</summary>
    public static async Task<ApiParameters> ReadBodyAsync(HttpRequest request, ApiParameters query, CancellationToken ct)
    {
        var detection = request.HttpContext.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpRequestBodyDetectionFeature>();
        var hasBody = request.ContentLength > 0
            || (request.ContentLength is null && (detection?.CanHaveBody ?? request.Headers.TransferEncoding.Count > 0));
        if (!hasBody)
        {
            return query;
        }

        var root = query.CopyQuery();
        var mediaType = MediaType(request.ContentType);
        if (mediaType == "multipart/form-data")
        {
            return await ReadMultipartAsync(request, root, query, ct);
        }

        var body = await ReadBytesAsync(request, MaxBodyBytes, ct);
        var bodyParameters = mediaType switch
        {
            "application/json" or "text/json" => ParseJson(body),
            // A form never starts with '{' or '[': such a body is JSON with a wrong label (curl --data '{…}').
            _ => LooksLikeJson(body) ? ParseJson(body) : ParseForm(body),
        };
        ApiParameters.MergeInto(root, bodyParameters);
        return query.WithBody(root);
    }

    private static async Task<ApiParameters> ReadMultipartAsync(HttpRequest request, JsonObject root, ApiParameters query, CancellationToken ct)
    {
        if (request.ContentLength > MaxMultipartBytes)
        {
            throw TooLarge(MaxMultipartBytes);
        }

        IFormCollection form;
        try
        {
            form = await request.ReadFormAsync(ct);
        }
        catch (InvalidDataException e)
        {
            throw new ApiInputException($"the multipart body cannot be read: {e.Message}");
        }

        var pairs = new List<KeyValuePair<string, string>>();
        foreach (var (key, values) in form)
        {
            foreach (var value in values)
            {
                if (pairs.Count == ApiParameters.MaxPairs)
                {
                    throw new ApiInputException($"too many parameters (at most {ApiParameters.MaxPairs})");
                }

                pairs.Add(new(key, CheckText(value)));
            }
        }

        ApiParameters.MergeInto(root, ApiParameters.FromPairs(pairs));
        return query.WithBody(root, form.Files);
    }

    // The form reader replaces invalid UTF-8 with U+FFFD; we refuse instead of storing mangled text.
    private static string CheckText(string? value) =>
        value is not null && value.Contains('\uFFFD', StringComparison.Ordinal)
            ? throw new ApiInputException("a form field is not valid UTF-8")
            : value ?? string.Empty;

    private static async Task<byte[]> ReadBytesAsync(HttpRequest request, int limit, CancellationToken ct)
    {
        if (request.ContentLength > limit)
        {
            throw TooLarge(limit);
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                throw TooLarge(limit);
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    private static ApiInputException TooLarge(int limit) =>
        new($"the request body is larger than {limit} bytes", StatusCodes.Status413PayloadTooLarge);

    private static JsonObject ParseForm(byte[] body)
    {
        string text;
        try
        {
            text = StrictUtf8.GetString(body);
        }
        catch (DecoderFallbackException)
        {
            throw new ApiInputException("the request body is not valid UTF-8");
        }

        return ApiParameters.FromPairs(UrlEncoding.Parse(text, ApiParameters.MaxPairs));
    }

    private static JsonObject ParseJson(byte[] body)
    {
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(body, documentOptions: JsonOptions);
            DecodeAllStrings(node);
        }
        catch (JsonException e)
        {
            throw new ApiInputException($"the JSON body is malformed ({e.Message.Split('.')[0]})");
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException)
        {
            throw new ApiInputException("the JSON body repeats a key or contains text that is not valid UTF-8 or UTF-16");
        }

        return node switch
        {
            JsonObject obj => obj,
            // PHP's json_encode of an empty array: the SDK sends "[]" for "no fields".
            JsonArray { Count: 0 } => [],
            null => [],
            _ => throw new ApiInputException("the JSON body must be an object"),
        };
    }

    /// <summary>
    /// JSON strings are decoded lazily; decoding them all now turns invalid UTF-8 and lone
    /// surrogate escapes into a 400 here instead of a failure deep inside a handler.
    /// </summary>
    private static void DecodeAllStrings(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (_, value) in obj)
                {
                    DecodeAllStrings(value);
                }

                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    DecodeAllStrings(item);
                }

                break;
            case JsonValue value when value.GetValueKind() == JsonValueKind.String:
                _ = value.GetValue<string>(); // throws InvalidOperationException on invalid text
                break;
        }
    }

    private static bool LooksLikeJson(byte[] body)
    {
        foreach (var b in body)
        {
            if (b is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')
            {
                continue;
            }

            return b is (byte)'{' or (byte)'[';
        }

        return false;
    }

    private static string? MediaType(string? contentType)
    {
        if (string.IsNullOrEmpty(contentType))
        {
            return null;
        }

        var semicolon = contentType.IndexOf(';', StringComparison.Ordinal);
        return (semicolon < 0 ? contentType : contentType[..semicolon]).Trim().ToLowerInvariant();
    }
}
