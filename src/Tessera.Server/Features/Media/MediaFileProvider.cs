using System.Text.RegularExpressions;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Primitives;

namespace Tessera.Server.Features.Media;

/// <summary>
/// The files of the media root that may be served: only paths of the exact shape the store writes
/// (<c>/{stackId}/{yyyy}/{MM}/{32 hex}/{small|medium|large}.{jpg|png}</c>). The original upload is kept
/// for re-rendering but never served: it is the client's bytes with their metadata (a phone photo's
/// EXIF carries its GPS position), while the renditions are re-encoded without any. Work
/// folders (<c>.tmp-…</c>, <c>.del-…</c>), stray files and anything with <c>..</c> are never found;
/// no directory is listed and nothing is watched.
/// </summary>
internal sealed partial class MediaFileProvider(string root) : IFileProvider, IDisposable
{
    private readonly PhysicalFileProvider _files = new(root);

    public IFileInfo GetFileInfo(string subpath) =>
        subpath is not null && ServablePath().IsMatch(subpath) ? _files.GetFileInfo(subpath) : new NotFoundFileInfo(subpath ?? string.Empty);

    public IDirectoryContents GetDirectoryContents(string subpath) => NotFoundDirectoryContents.Singleton;

    public IChangeToken Watch(string filter) => NullChangeToken.Singleton;

    public void Dispose() => _files.Dispose();

    [GeneratedRegex("^/[1-9][0-9]{0,9}/[0-9]{4}/[0-9]{2}/[0-9a-f]{32}/(small|medium|large)\\.(jpg|png)$", RegexOptions.CultureInvariant)]
    private static partial Regex ServablePath();
}
