using System.Text.Json;
using System.Text.Json.Nodes;
using System.Xml;

namespace Tessera.Server.Compat;

/// <summary>
/// Writes the Stackla envelope <c>{"data": …, "errors": […]}</c> (plus optional top-level members such
/// as <c>count</c>) as JSON, or as XML: root <c>&lt;response&gt;</c>, arrays as <c>&lt;item&gt;</c>
/// sequences, object keys as element names (encoded with <see cref="XmlConvert.EncodeLocalName"/>
/// where a key is not a valid XML name, e.g. <c>$id</c>).
/// </summary>
public static class Envelope
{
    public static async Task WriteAsync(HttpContext context, int status, object? data, IReadOnlyList<ApiError> errors, IReadOnlyDictionary<string, object?>? extra)
    {
        var response = context.Response;
        response.StatusCode = status;
        var members = Members(data, errors, extra);
        if (ResponseFormatFeature.Of(context) == ResponseFormat.Xml)
        {
            response.ContentType = "application/xml; charset=utf-8";
            var node = JsonSerializer.SerializeToNode(members, WireJson.Options);
            await WriteXmlAsync(response.Body, node!.AsObject(), context.RequestAborted);
            return;
        }

        // Each member is written by its runtime type, so the source-generated serializers of the wire
        // records (WireJsonContext) do the work; one dictionary still serves both formats. The body is
        // complete in memory before it is sent, so a failure midway is still a clean 500 envelope.
        using var buffer = new PooledBufferWriter();
        using (var json = WireJson.CreateWriter(buffer))
        {
            json.WriteStartObject();
            foreach (var (key, value) in members)
            {
                json.WritePropertyName(key);
                WireJson.Write(json, value);
            }

            json.WriteEndObject();
        }

        response.ContentType = "application/json; charset=utf-8";
        response.ContentLength = buffer.WrittenMemory.Length;
        await response.Body.WriteAsync(buffer.WrittenMemory, context.RequestAborted);
    }

    private static Dictionary<string, object?> Members(object? data, IReadOnlyList<ApiError> errors, IReadOnlyDictionary<string, object?>? extra)
    {
        var members = new Dictionary<string, object?> { ["data"] = data ?? Array.Empty<object>(), ["errors"] = errors };
        if (extra is not null)
        {
            foreach (var (key, value) in extra)
            {
                members[key] = value;
            }
        }

        return members;
    }

    private static async Task WriteXmlAsync(Stream body, JsonObject envelope, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        using (var xml = XmlWriter.Create(buffer, new XmlWriterSettings { Encoding = new System.Text.UTF8Encoding(false) }))
        {
            xml.WriteStartElement("response");
            foreach (var (key, value) in envelope)
            {
                WriteXmlNode(xml, key, value);
            }

            xml.WriteEndElement();
        }

        buffer.Position = 0;
        await buffer.CopyToAsync(body, ct);
    }

    /// <summary>Replaces characters XML 1.0 cannot carry (most control characters, U+FFFE/U+FFFF) with U+FFFD.</summary>
    private static string XmlSafe(string text)
    {
        var safe = new System.Text.StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                safe.Append(text, i++, 2);
            }
            else
            {
                safe.Append(XmlConvert.IsXmlChar(text[i]) ? text[i] : '\uFFFD');
            }
        }

        return safe.ToString();
    }

    private static void WriteXmlNode(XmlWriter xml, string name, JsonNode? node)
    {
        xml.WriteStartElement(name.Length == 0 ? "_" : XmlConvert.EncodeLocalName(name));
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, value) in obj)
                {
                    WriteXmlNode(xml, key, value);
                }

                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    WriteXmlNode(xml, "item", item);
                }

                break;
            case JsonValue value when value.GetValueKind() == JsonValueKind.String:
                xml.WriteString(XmlSafe(value.GetValue<string>()));
                break;
            case JsonValue value:
                xml.WriteString(value.ToJsonString());
                break;
        }

        xml.WriteEndElement();
    }
}
