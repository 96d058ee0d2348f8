using System.Diagnostics;

namespace Tessera.Tests.Infrastructure;

/// <summary>The published entry point run as a real process, on a given test database.</summary>
public static class CliProcess
{
    private static readonly string ServerDll = Path.Combine(AppContext.BaseDirectory, "Tessera.Server.dll");

    /// <summary>Runs a verb to its end (at most a minute): exit code, stdout and stderr.</summary>
    public static async Task<(int Exit, string Stdout, string Stderr)> RunAsync(string database, params string[] args)
    {
        using var process = Start(database, args);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        return (process.ExitCode, await stdout, await stderr);
    }

    /// <summary>Starts a verb (e.g. <c>serve</c>) with its output redirected; the caller stops it.</summary>
    public static Process Start(string database, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(ServerDll);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["Tessera__Database__Provider"] = TestDatabase.Provider;
        start.Environment["ConnectionStrings__Tessera"] = database;
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        return Process.Start(start)!;
    }
}
