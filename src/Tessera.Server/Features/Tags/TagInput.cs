using System.Text.Json;
using Tessera.Server.Compat;

namespace Tessera.Server.Features.Tags;

/// <summary>
/// Reads the writable tag fields present in a request onto a tag (create and update share it).
/// Absent fields keep their value; errors go to the reader and nothing is saved when there are any.
/// </summary>
public static class TagInput
{
    public static void Apply(FieldReader f, Tag tag, bool isCreate)
    {
        var name = f.String("tag", TagRules.MaxNameLength, TagRules.MinNameLength);
        var type = f.Enum("type", TagRules.AllTypes);
        if (isCreate)
        {
            f.Require("tag", name);
            f.Require("type", type);
        }

        if (type == TagRules.SystemType)
        {
            f.AddError("type", "system tags are managed by Tessera and cannot be created or assigned", "system_tag_read_only");
        }

        var slug = f.String("slug", TagRules.MaxNameLength);
        var customSlug = f.Bool("custom_slug");
        if (name is not null)
        {
            tag.Name = name;
            tag.NormalizedName = TagRules.Normalize(name);
        }

        if (type is not null)
        {
            tag.Type = type;
        }

        // A slug the client gives is kept verbatim (the SDK expects to read back what it sent);
        // otherwise it follows the name for as long as it was never customised.
        if (!string.IsNullOrEmpty(slug))
        {
            tag.Slug = slug;
            tag.CustomSlug = customSlug ?? true;
        }
        else
        {
            tag.CustomSlug = customSlug ?? tag.CustomSlug;
            if (!tag.CustomSlug || string.IsNullOrEmpty(tag.Slug))
            {
                tag.Slug = TagRules.Slugify(tag.Name);
            }
        }

        tag.PubliclyVisible = f.Bool("publicly_visible") ?? tag.PubliclyVisible;
        tag.Target = f.Enum("target", TagRules.Targets) ?? tag.Target;
        tag.Priority = f.Int("priority", 1, 5) ?? tag.Priority;
        tag.CustomUrl = f.Url("custom_url", TagRules.MaxUrlLength) ?? tag.CustomUrl;
        tag.Price = f.String("price", 64) ?? tag.Price;
        if (f.String("ext_product_id", 255) is { } ext)
        {
            tag.ExtProductId = ext.Length == 0 ? null : ext;
        }

        tag.Description = f.String("description", TagRules.MaxDescriptionLength) ?? tag.Description;
        tag.ImageSmallUrl = f.Url("image_small_url", TagRules.MaxUrlLength) ?? tag.ImageSmallUrl;
        tag.ImageSmallWidth = f.Int("image_small_width", 0, 100_000) ?? tag.ImageSmallWidth;
        tag.ImageSmallHeight = f.Int("image_small_height", 0, 100_000) ?? tag.ImageSmallHeight;
        tag.ImageMediumUrl = f.Url("image_medium_url", TagRules.MaxUrlLength) ?? tag.ImageMediumUrl;
        tag.ImageMediumWidth = f.Int("image_medium_width", 0, 100_000) ?? tag.ImageMediumWidth;
        tag.ImageMediumHeight = f.Int("image_medium_height", 0, 100_000) ?? tag.ImageMediumHeight;
        tag.VoteEnabled = f.Bool("vote_enabled") ?? tag.VoteEnabled;
        tag.Brand = f.String("brand", 255) ?? tag.Brand;
        if (f.StringList("categories", TagRules.MaxCategories) is { } categories)
        {
            tag.CategoriesJson = JsonSerializer.Serialize(categories);
        }

        tag.Currency = f.String("currency", 8) ?? tag.Currency;
        tag.AvailabilityStatus = f.Enum("availability_status", TagRules.AvailabilityStatuses) ?? tag.AvailabilityStatus;
        tag.CtaText = f.String("cta_text", 255) ?? tag.CtaText;
        if (f.Object("custom_fields") is { } customFields)
        {
            tag.CustomFieldsJson = customFields.ToJsonString();
        }
    }
}
