using System.Text.Json;
using Tessera.Server.Auth;
using Tessera.Server.Features.Stacks;
using Tessera.Tests.Infrastructure;

namespace Tessera.Tests.ModerationViews;

/// <summary>Clients of one stack for moderation view tests: the stack's admin (its first user) and more users of it.</summary>
internal sealed class ModerationViewClients(TesseraFactory factory, StackCreated stack)
{
    public StackCreated Stack { get; } = stack;

    /// <summary>The stack's admin, the stack's first user (<see cref="StackCreated.UserId"/>).</summary>
    public ApiClient Owner { get; } = new(factory.CreateClient(), stack.Stack, stack.AccessToken, stack.StackId) { LatestFilterId = stack.LatestFilterId, PostTermId = stack.PostTermId };

    public static async Task<ModerationViewClients> CreateAsync(TesseraFactory factory) => new(factory, await factory.CreateStackAsync("mv"));

    /// <summary>A client for a new user of the same stack.</summary>
    public async Task<ApiClient> OtherUserAsync(AclGroups groups = AclGroups.Admin, TokenScope scope = TokenScope.ReadWrite) =>
        new(factory.CreateClient(), Stack.Stack, await factory.IssueTokenAsync(Stack, groups, scope), Stack.StackId);
}

internal static class ModerationViewApi
{
    /// <summary>Creates a view from a form body and returns it.</summary>
    public static async Task<JsonElement> CreateViewAsync(this ApiClient api, string form)
    {
        var response = await api.PostFormAsync("moderationviews", form);
        response.AssertOk();
        return response.Data;
    }

    public static async Task<int> CreateViewIdAsync(this ApiClient api, string form) => (await api.CreateViewAsync(form)).GetProperty("id").GetInt32();

    public static async Task<int[]> ListViewIdsAsync(this ApiClient api, string? query = null)
    {
        var response = await api.GetAsync("moderationviews", query);
        response.AssertOk();
        return [.. response.Data.EnumerateArray().Select(v => v.GetProperty("id").GetInt32())];
    }

    /// <summary>The view's names in <paramref name="group"/> whose value is true (the shown columns, say).</summary>
    public static string[] TrueKeys(this JsonElement view, string group) =>
        [.. view.GetProperty(group).EnumerateObject().Where(p => p.Value.ValueKind == JsonValueKind.True).Select(p => p.Name)];

    public static int[] Ints(this JsonElement array) => [.. array.EnumerateArray().Select(e => e.GetInt32())];

    public static string[] Strings(this JsonElement array) => [.. array.EnumerateArray().Select(e => e.GetString()!)];
}
