using System.Text;

namespace Tessera.Server.Compat;

/// <summary>
/// Parses <c>application/x-www-form-urlencoded</c> text (query strings and form bodies) the way
/// PHP clients write it: <c>+</c> and <c>%20</c> are spaces, a bare <c>key</c> has an empty value,
/// empty segments (<c>?&amp;a=1</c>) are skipped, and every value must decode to valid UTF-8.
/// </summary>
internal static class UrlEncoding
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static List<KeyValuePair<string, string>> Parse(string text, int maxPairs)
    {
        var pairs = new List<KeyValuePair<string, string>>();
        var span = text.AsSpan();
        if (span.StartsWith("?"))
        {
            span = span[1..];
        }

        while (!span.IsEmpty)
        {
            var end = span.IndexOf('&');
            var segment = end < 0 ? span : span[..end];
            span = end < 0 ? [] : span[(end + 1)..];
            if (segment.IsEmpty)
            {
                continue;
            }

            if (pairs.Count == maxPairs)
            {
                throw new ApiInputException($"too many parameters (at most {maxPairs})");
            }

            var eq = segment.IndexOf('=');
            var key = Decode(eq < 0 ? segment : segment[..eq]);
            var value = eq < 0 ? string.Empty : Decode(segment[(eq + 1)..]);
            pairs.Add(new(key, value));
        }

        return pairs;
    }

    private static string Decode(ReadOnlySpan<char> encoded)
    {
        if (encoded.IndexOfAny('%', '+') < 0)
        {
            return encoded.ToString();
        }

        // Percent-decoding never grows the text; a raw non-ASCII char takes at most 3 bytes per UTF-16 unit.
        var bytes = new byte[encoded.Length * 3];
        var length = 0;
        for (var i = 0; i < encoded.Length; i++)
        {
            var c = encoded[i];
            if (c == '+')
            {
                bytes[length++] = (byte)' ';
            }
            else if (c == '%' && i + 2 < encoded.Length && char.IsAsciiHexDigit(encoded[i + 1]) && char.IsAsciiHexDigit(encoded[i + 2]))
            {
                bytes[length++] = (byte)((HexValue(encoded[i + 1]) << 4) | HexValue(encoded[i + 2]));
                i += 2;
            }
            else if (c < 0x80)
            {
                bytes[length++] = (byte)c;
            }
            else
            {
                // A raw (not percent-encoded) non-ASCII character: keep it, as UTF-8.
                var units = char.IsHighSurrogate(c) && i + 1 < encoded.Length ? 2 : 1;
                length += Encoding.UTF8.GetBytes(encoded.Slice(i, units), bytes.AsSpan(length));
                i += units - 1;
            }
        }

        try
        {
            return StrictUtf8.GetString(bytes, 0, length);
        }
        catch (DecoderFallbackException)
        {
            throw new ApiInputException("a parameter is not valid UTF-8 once percent-decoded");
        }
    }

    private static int HexValue(char c) => c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
}
