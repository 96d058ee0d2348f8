using Tessera.Server.Auth;
using Tessera.Server.Features.Stacks;

namespace Tessera.Server.Features.Users;

public sealed class User
{
    public int Id { get; set; }

    public int StackId { get; set; }

    public Stack Stack { get; set; } = null!;

    public required string Username { get; set; }

    public string? Email { get; set; }

    public string FirstName { get; set; } = string.Empty;

    public string LastName { get; set; } = string.Empty;

    public AclGroups AclGroups { get; set; }

    public long CreatedAt { get; set; }
}
