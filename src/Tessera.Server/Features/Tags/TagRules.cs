using System.Text;

namespace Tessera.Server.Features.Tags;

/// <summary>The values and bounds of tag fields (reference §2.2).</summary>
public static class TagRules
{
    public const int MaxNameLength = 255;
    public const int MinNameLength = 1;
    public const int MaxDescriptionLength = 512;
    public const int MaxUrlLength = 2048;
    public const int MaxCategories = 50;

    public const string SystemType = "system";

    /// <summary>The types a client may create; <c>system</c> tags are the platform's and read-only.</summary>
    public static readonly string[] WritableTypes = ["content", "product", "competition"];

    public static readonly string[] AllTypes = [.. WritableTypes, SystemType];

    public static readonly string[] Targets = ["", "_blank", "_self", "_parent", "_top"];

    public static readonly string[] AvailabilityStatuses = ["", "InStock", "OutOfStock", "PreOrder", "Empty", "Invisible"];

    public static string Normalize(string name) => name.Trim().ToLowerInvariant();

    /// <summary>A class-name friendly slug: lower-case letters and digits joined by single dashes.</summary>
    public static string Slugify(string name)
    {
        var slug = new StringBuilder(name.Length);
        foreach (var c in name.Normalize(NormalizationForm.FormKC).ToLowerInvariant())
        {
            if (char.IsLetterOrDigit(c))
            {
                slug.Append(c);
            }
            else if (slug.Length > 0 && slug[^1] != '-')
            {
                slug.Append('-');
            }
        }

        var result = slug.ToString().TrimEnd('-');
        return result.Length == 0 ? "tag" : result;
    }
}
