namespace Tessera.Server.Caching;

/// <summary>
/// A counter per stack that moves on whenever something the public caches show of that stack changes
/// (a tile, its tags, a tag, a filter, the Content API plugin). A cached answer remembers the
/// generation it was built at and is used only while that is still the current one, so the first
/// request after a change is answered from the database.
/// </summary>
/// <remarks>
/// A reader takes the generation <em>before</em> it reads the database, and a writer advances it
/// <em>after</em> its transaction commits (<see cref="ContentChangeHook"/>). A page built from
/// data older than a commit therefore always carries an older generation than the one the commit
/// left behind. With several nodes, each node keeps its own counters and a node that advances a stack
/// publishes the stack id (a Redis channel, say) so the others advance theirs: the entries are never
/// shared, only the fact that a stack changed.
/// </remarks>
public sealed class StackGenerations : StackCounters;
