using System.Net.Mail;
using Tessera.Server.Auth;
using Tessera.Server.Compat;

namespace Tessera.Server.Features.Users;

/// <summary>Reads the writable fields of a user (reference §2.7) onto the entity, or records errors.</summary>
public static class UserInput
{
    public const int MaxNameLength = 255;
    public const int MaxDescriptionLength = 2000;
    private static readonly string[] DistanceUnits = ["metric", "imperial"];

    /// <summary>Applies <c>name</c>, <c>surname</c>, <c>email</c>, <c>description</c>, <c>display_timezone</c>, <c>distances</c> and <c>acl_groups</c> when sent.</summary>
    public static void Apply(FieldReader f, User user)
    {
        if (f.String("name", MaxNameLength) is { } name)
        {
            user.FirstName = name;
        }

        if (f.String("surname", MaxNameLength) is { } surname)
        {
            user.LastName = surname;
        }

        if (f.Has("email") && Email(f, "email") is { } email)
        {
            user.Email = email;
        }

        if (f.String("description", MaxDescriptionLength) is { } description)
        {
            user.Description = description;
        }

        if (f.String("display_timezone", 64) is { } timezone)
        {
            if (TimeZoneInfo.TryFindSystemTimeZoneById(timezone, out _))
            {
                user.DisplayTimezone = timezone;
            }
            else
            {
                f.AddError("display_timezone", $"'{timezone}' is not a tz database time zone (e.g. Europe/Paris)");
            }
        }

        if (f.Enum("distances", DistanceUnits) is { } distances)
        {
            user.Distances = distances;
        }

        if (f.Has("acl_groups") && Groups(f, "acl_groups") is { } groups)
        {
            user.AclGroups = groups;
        }
    }

    /// <summary>A required e-mail address (lower-cased), or null with an error.</summary>
    public static string? Email(FieldReader f, string name)
    {
        var value = f.String(name, 255);
        if (f.HasErrors && value is null)
        {
            return null;
        }

        if (string.IsNullOrEmpty(value) || !IsEmail(value))
        {
            f.AddError(name, "must be an e-mail address");
            return null;
        }

        return value.ToLowerInvariant();
    }

    public static bool IsEmail(string value) =>
        value.Length <= 255 && MailAddress.TryCreate(value, out var address) && address.Address == value && !value.Any(char.IsWhiteSpace);

    /// <summary>
    /// <c>acl_groups</c> as a CSV string, a JSON array or a bracket array of group ids (1 Admin,
    /// 2 Moderator, 3 Developer); at least one group.
    /// </summary>
    public static AclGroups? Groups(FieldReader f, string name)
    {
        var ids = f.IdList(name, maxItems: 3);
        if (ids is null)
        {
            return null;
        }

        var groups = AclGroups.None;
        foreach (var id in ids)
        {
            if (AclGroupIds.Group(id) is not { } group)
            {
                f.AddError(name, $"{id} is not a group: 1 Admin, 2 Moderator, 3 Developer");
                return null;
            }

            groups |= group;
        }

        if (groups == AclGroups.None)
        {
            f.AddError(name, "needs at least one group: 1 Admin, 2 Moderator, 3 Developer");
            return null;
        }

        return groups;
    }
}
