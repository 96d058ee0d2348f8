using System.Text.Json;
using System.Text.Json.Serialization;

namespace Tessera.Server.Compat;

/// <summary>
/// A value already serialized as wire JSON (UTF-8), written as it is: a tile of the tile JSON cache,
/// say. The bytes must be one complete JSON value, as <see cref="WireJson.ToUtf8Bytes"/> makes them.
/// </summary>
[JsonConverter(typeof(RawJsonConverter))]
public readonly record struct RawJson(byte[] Utf8);

/// <summary>Writes a <see cref="RawJson"/> without parsing it again; reading is not supported.</summary>
public sealed class RawJsonConverter : JsonConverter<RawJson>
{
    public override RawJson Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        throw new NotSupportedException("RawJson is written only");

    public override void Write(Utf8JsonWriter writer, RawJson value, JsonSerializerOptions options) =>
        writer.WriteRawValue(value.Utf8, skipInputValidation: true);
}
