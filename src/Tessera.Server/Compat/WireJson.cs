using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using System.Text.Unicode;
using Tessera.Server.Features.ContentApi;
using Tessera.Server.Features.Filters;
using Tessera.Server.Features.Tags;
using Tessera.Server.Features.Tiles;

namespace Tessera.Server.Compat;

/// <summary>The JSON settings of the wire: snake_case names, every script unescaped but HTML-sensitive characters.</summary>
public static class WireJson
{
    // Declared first: the options below are built from it (static initializers run in order).
    /// <summary>How string values are escaped: every script as is, HTML-sensitive characters escaped.</summary>
    public static JavaScriptEncoder Encoder { get; } = JavaScriptEncoder.Create(UnicodeRanges.All);

    public static readonly JsonSerializerOptions Options = Create();

    /// <summary>
    /// The source-generated serializers bound to options equal to <see cref="Options"/>: used directly
    /// (not through a combined resolver) so their fast path, which skips the generic converters, applies.
    /// </summary>
    /// <remarks>
    /// The fast path requires options without an encoder; the envelope's writer carries
    /// <see cref="Encoder"/> instead, so values are escaped the same way.
    /// </remarks>
    private static readonly WireJsonContext Fast = new(new JsonSerializerOptions(Create(withResolver: false)) { Encoder = null });

    /// <summary>The fast serializer of a wire record type, or null for types serialized by reflection.</summary>
    public static JsonTypeInfo? FastTypeInfo(Type type) => Fast.GetTypeInfo(type);

    /// <summary>A writer with the wire's escaping, as the envelope writes with it.</summary>
    public static Utf8JsonWriter CreateWriter(IBufferWriter<byte> output) => new(output, new JsonWriterOptions { Encoder = Encoder });

    /// <summary>Writes <paramref name="value"/> by its runtime type: a wire record by its source-generated serializer, anything else by reflection.</summary>
    public static void Write(Utf8JsonWriter json, object? value)
    {
        if (value is not null && FastTypeInfo(value.GetType()) is { } fast)
        {
            JsonSerializer.Serialize(json, value, fast);
        }
        else
        {
            JsonSerializer.Serialize(json, value, value?.GetType() ?? typeof(object), Options);
        }
    }

    /// <summary>The UTF-8 bytes <see cref="Write"/> writes for <paramref name="value"/>: the same bytes the envelope holds for it.</summary>
    public static byte[] ToUtf8Bytes(object value)
    {
        var buffer = new ArrayBufferWriter<byte>(4096);
        using (var json = CreateWriter(buffer))
        {
            Write(json, value);
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static JsonSerializerOptions Create(bool withResolver = true)
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
            DictionaryKeyPolicy = null,
            Encoder = Encoder,
        };
        if (withResolver)
        {
            options.TypeInfoResolver = JsonTypeInfoResolver.Combine(WireJsonContext.Default, new DefaultJsonTypeInfoResolver());
            options.MakeReadOnly();
        }

        return options;
    }
}

/// <summary>Source-generated serializers for the wire records that large responses are made of (a page of 50 tiles, say).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DictionaryKeyPolicy = JsonKnownNamingPolicy.Unspecified)]
[JsonSerializable(typeof(List<TileWire>))]
[JsonSerializable(typeof(List<RawJson>))]
[JsonSerializable(typeof(List<TileChangeWire>))]
[JsonSerializable(typeof(PublicContentBody))]
[JsonSerializable(typeof(List<TagWire>))]
[JsonSerializable(typeof(List<FilterWire>))]
[JsonSerializable(typeof(List<ApiError>))]
[JsonSerializable(typeof(ApiError[]))]
internal sealed partial class WireJsonContext : JsonSerializerContext;
