using System.Net;
using System.Text.Json;
using Tessera.Tests.Infrastructure;

namespace Tessera.Tests.Hosting;

[Collection(ApiCollection.Name)]
public sealed class OpenApiTests(TesseraFactory factory)
{
    [Fact]
    public async Task The_api_describes_itself()
    {
        var client = factory.CreateClient();
        using var document = JsonDocument.Parse(await client.GetStringAsync("/openapi/v1.json"));
        var paths = document.RootElement.GetProperty("paths");
        Assert.True(paths.TryGetProperty("/api/tags", out _));
        Assert.True(paths.TryGetProperty("/api/tags/{tagId}", out _));
    }

    [Fact]
    public async Task An_interactive_reference_is_served_at_docs()
    {
        var client = factory.CreateClient();
        var response = await client.GetAsync("/docs/");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("openapi/v1.json", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
