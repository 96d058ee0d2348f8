using Microsoft.EntityFrameworkCore;
using Tessera.Server.Data;

namespace Tessera.Server.Features.Users;

/// <summary>
/// E-mail addresses are unique among a stack's users that are not removed, so an address names one
/// person (invitations and sign-in rely on it). Check under <see cref="StackLock"/>.
/// </summary>
public static class UserEmails
{
    public static Task<bool> TakenAsync(TesseraDbContext db, int stackId, string email, int? exceptUserId, CancellationToken ct) =>
        db.Users.Members(stackId).AnyAsync(u => u.Email == email && u.Id != exceptUserId, ct);
}
