using System.Threading.Channels;

namespace Tessera.Server.Features.Rules;

/// <summary>How apply jobs run (<c>Tessera:Rules</c>).</summary>
public sealed class RuleOptions
{
    public const string Section = "Tessera:Rules";

    /// <summary>False stops this node's apply worker (jobs stay queued for another node).</summary>
    public bool ApplyWorkerEnabled { get; set; } = true;

    /// <summary>How often the worker looks for queued jobs without being told (jobs queued on other nodes).</summary>
    public int PollSeconds { get; set; } = 5;

    /// <summary>Tiles changed per transaction of an apply job.</summary>
    public int BatchSize { get; set; } = 200;
}

/// <summary>Wakes this node's <see cref="RuleApplyWorker"/> when a job is queued, so it need not wait for its next poll.</summary>
public sealed class RuleJobSignal
{
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    public void Notify() => _wake.Writer.TryWrite(true);

    /// <summary>Waits until <see cref="Notify"/> is called or <paramref name="timeout"/> passes.</summary>
    public async Task WaitAsync(TimeSpan timeout, TimeProvider time, CancellationToken ct)
    {
        using var deadline = new CancellationTokenSource(timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, deadline.Token);
        try
        {
            await _wake.Reader.ReadAsync(linked.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            // The poll interval passed.
        }
    }
}

/// <summary>Registration of the automation rules.</summary>
public static class RuleRegistration
{
    public static IServiceCollection AddTesseraRules(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<RuleOptions>()
            .Bind(configuration.GetSection(RuleOptions.Section))
            .Validate(o => o.PollSeconds > 0 && o.BatchSize is > 0 and <= 1000, $"{RuleOptions.Section}: PollSeconds must be positive and BatchSize 1–1000")
            .ValidateOnStart();
        services.AddSingleton<RuleBook>();
        services.AddSingleton<RuleJobSignal>();
        return services;
    }
}
