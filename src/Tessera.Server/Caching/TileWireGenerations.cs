namespace Tessera.Server.Caching;

/// <summary>
/// A second counter per stack, for the tile JSON cache (<see cref="TileJsonCache"/>): it moves on
/// after a commit that changed a tag or a term of the stack. A tile's JSON shows those besides its own
/// row (<c>tags_extended</c>, <c>terms</c>, <c>term_meta</c>), and deleting a tag drops tile links
/// without touching the tile row. Changes of the tile row itself are told by its <c>Version</c>, so
/// unlike <see cref="StackGenerations"/> this counter does not move when tiles are ingested or moderated.
/// </summary>
/// <remarks>Taken before reading and advanced after the commit, exactly as <see cref="StackGenerations"/> is (<see cref="ContentChangeHook"/>).</remarks>
public sealed class TileWireGenerations : StackCounters;
