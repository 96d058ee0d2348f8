using Tessera.Server.Compat;
using Tessera.Server.Features.Media;

namespace Tessera.Server.Features.Tiles;

/// <summary>
/// Connects tile posts to the image store: finds the multipart <c>image</c> file, stores it with its
/// renditions and fills the tile's image fields; discards the files again when the tile is not saved.
/// </summary>
public sealed class TileMediaIngestor(ImageUploadStore store)
{
    public const string FileField = "image";

    /// <summary>The uploaded image file of a post, if there is one.</summary>
    public static IFormFile? FindUpload(ApiParameters parameters, FieldReader f)
    {
        var files = parameters.Files?.GetFiles(FileField) ?? [];
        if (files.Count > 1)
        {
            f.AddError(FileField, "send one image file per tile");
            return null;
        }

        return files.Count == 1 ? files[0] : null;
    }

    /// <summary>Stores the upload and sets the tile's image fields; on a bad image returns the 400 to answer with.</summary>
    public async Task<StoredUpload> StoreAsync(Tile tile, IFormFile upload, CancellationToken ct)
    {
        StoredImage image;
        try
        {
            await using var content = upload.OpenReadStream();
            image = await store.StoreAsync(tile.StackId, content, ct);
        }
        catch (ImageRejectedException e)
        {
            return new StoredUpload(null, ApiResults.Error(ApiResource.Tiles, 400, e.Reason, $"{FileField}: {e.Message}"));
        }

        // The full-size image clients get is the large rendition: the original keeps the uploader's
        // metadata (EXIF GPS…) and is never served (MediaFileProvider).
        (tile.ImageUrl, tile.ImageWidth, tile.ImageHeight) = image.Large;
        (tile.ImageSmallUrl, tile.ImageSmallWidth, tile.ImageSmallHeight) = image.Small;
        (tile.ImageMediumUrl, tile.ImageMediumWidth, tile.ImageMediumHeight) = image.Medium;
        (tile.ImageLargeUrl, tile.ImageLargeWidth, tile.ImageLargeHeight) = image.Large;
        return new StoredUpload(image, null);
    }

    /// <summary>Removes stored files of a tile that was not saved.</summary>
    public async Task DiscardAsync(StoredUpload? stored, CancellationToken ct)
    {
        if (stored?.Image is { } image)
        {
            await store.DeleteAsync(image, ct);
        }
    }
}

/// <summary>The outcome of storing an upload: the image, or the error to answer with.</summary>
public sealed record StoredUpload(StoredImage? Image, IResult? Error);
