using System.Collections.Concurrent;

namespace Tessera.Server.Caching;

/// <summary>
/// A counter per stack that a cache entry remembers when it is built and compares when it is used:
/// readers take it before they read, writers advance it after their commit (<see cref="ContentChangeHook"/>).
/// Each kind of counter is its own subclass, so each has its own rule for what advances it.
/// </summary>
public abstract class StackCounters
{
    private readonly ConcurrentDictionary<int, long> _counters = new();

    public long Current(int stackId) => _counters.TryGetValue(stackId, out var counter) ? counter : 0;

    public void Advance(int stackId) => _counters.AddOrUpdate(stackId, 1, (_, counter) => counter + 1);
}
