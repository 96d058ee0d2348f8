using System.Globalization;

namespace Tessera.Server.Features.Collectors;

/// <summary>
/// Feed dates: RFC 822 as RSS has them (with the usual liberties: no weekday, no seconds, two-digit
/// years, full month names, named US zones, <c>+hh:mm</c>) and ISO 8601 as Atom has them. A date
/// without a zone is UTC.
/// </summary>
internal static class FeedDates
{
    private static readonly string[] Months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];

    public static DateTimeOffset? Parse(string? value)
    {
        var text = value?.Trim();
        if (string.IsNullOrEmpty(text) || text.Length > 100)
        {
            return null;
        }

        if (ParseRfc822(text) is { } rfc822)
        {
            return rfc822;
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AllowWhiteSpaces, out var iso)
            ? iso
            : null;
    }

    /// <summary>[weekday[,]] day month year hh:mm[:ss] [zone]</summary>
    internal static DateTimeOffset? ParseRfc822(string text)
    {
        var tokens = text.Replace(',', ' ').Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var t = 0;
        if (tokens.Length > 0 && tokens[0].All(char.IsAsciiLetter))
        {
            t++; // weekday, never checked against the date
        }

        if (tokens.Length - t < 4
            || !int.TryParse(tokens[t], NumberStyles.None, CultureInfo.InvariantCulture, out var day)
            || MonthOf(tokens[t + 1]) is not { } month
            || !int.TryParse(tokens[t + 2], NumberStyles.None, CultureInfo.InvariantCulture, out var year)
            || tokens[t + 2].Length is not (2 or 4)
            || ParseTime(tokens[t + 3]) is not { } time)
        {
            return null;
        }

        if (tokens[t + 2].Length == 2)
        {
            year += year < 50 ? 2000 : 1900;
        }

        var offset = tokens.Length - t > 4 ? ParseZone(tokens[t + 4]) : TimeSpan.Zero;
        if (year < 1000 || year > 9998 || day < 1 || day > DateTime.DaysInMonth(year, month) || offset is not { } zone)
        {
            return null;
        }

        return new DateTimeOffset(year, month, day, 0, 0, 0, zone).Add(time);
    }

    private static int? MonthOf(string token)
    {
        if (token.Length < 3 || !token.All(char.IsAsciiLetter))
        {
            return null;
        }

        var index = Array.IndexOf(Months, token[..3].ToLowerInvariant());
        return index < 0 ? null : index + 1;
    }

    private static TimeSpan? ParseTime(string token)
    {
        var parts = token.Split(':');
        if (parts.Length is not (2 or 3))
        {
            return null;
        }

        var numbers = new int[3];
        for (var i = 0; i < parts.Length; i++)
        {
            if (parts[i].Length is < 1 or > 2 || !int.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out numbers[i]))
            {
                return null;
            }
        }

        // A leap second (:60) is read as :59.
        return numbers[0] < 24 && numbers[1] < 60 && numbers[2] <= 60
            ? new TimeSpan(numbers[0], numbers[1], Math.Min(numbers[2], 59))
            : null;
    }

    /// <summary>±hhmm, ±hh:mm, or a name (GMT, UT, UTC, Z, EST … PDT); an unknown name is UTC.</summary>
    private static TimeSpan? ParseZone(string token)
    {
        if (token[0] is '+' or '-')
        {
            var digits = token[1..].Replace(":", string.Empty, StringComparison.Ordinal);
            if (digits.Length != 4 || !int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var hhmm) || hhmm / 100 > 14 || hhmm % 100 > 59)
            {
                return null;
            }

            var offset = new TimeSpan(hhmm / 100, hhmm % 100, 0);
            return token[0] == '-' ? -offset : offset;
        }

        return token.ToUpperInvariant() switch
        {
            "EDT" => TimeSpan.FromHours(-4),
            "EST" or "CDT" => TimeSpan.FromHours(-5),
            "CST" or "MDT" => TimeSpan.FromHours(-6),
            "MST" or "PDT" => TimeSpan.FromHours(-7),
            "PST" => TimeSpan.FromHours(-8),
            _ => TimeSpan.Zero,
        };
    }
}
