using Microsoft.Playwright;
using Tessera.Tests.Infrastructure;

namespace Tessera.Tests.Headless;

/// <summary>
/// The real server on a Kestrel port of its own, and Debian's headless Chromium driven by
/// Playwright (<c>TESSERA_CHROMIUM</c>, default <c>/usr/bin/chromium</c>; <c>scripts/test.sh</c>
/// installs it). Each test opens its own browser context (cookies included).
/// </summary>
public sealed class BrowserServer : IAsyncLifetime
{
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public TesseraFactory Factory { get; } = new();

    /// <summary>The server's address, e.g. <c>http://127.0.0.1:41234</c>.</summary>
    public Uri BaseAddress { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Factory.UseKestrel(0);
        Factory.StartServer();
        BaseAddress = Factory.CreateClient().BaseAddress!;

        var executable = Environment.GetEnvironmentVariable("TESSERA_CHROMIUM") is { Length: > 0 } path ? path : "/usr/bin/chromium";
        if (!File.Exists(executable))
        {
            throw new InvalidOperationException($"no Chromium at {executable}: run scripts/chromium.sh (scripts/test.sh does) or set TESSERA_CHROMIUM");
        }

        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = executable,
            Headless = true,
            // The machine has no internet: keep Chromium from trying to reach Google's services.
            Args = ["--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
    }

    /// <summary>A fresh browser profile (no cookies) with one page.</summary>
    public async Task<IPage> NewPageAsync()
    {
        var context = await _browser!.NewContextAsync(new() { BaseURL = BaseAddress.ToString() });
        return await context.NewPageAsync();
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        _playwright?.Dispose();
        await Factory.DisposeAsync();
    }
}
