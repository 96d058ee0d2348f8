namespace Tessera.Server.Features.Media;

/// <summary>One file of a stored image: its URL path under <c>/media/</c> and its pixel size.</summary>
public sealed record ImageFile(string Url, int Width, int Height);

/// <summary>An image kept by <see cref="ImageUploadStore"/>: the original bytes and three renditions bounded by width.</summary>
/// <param name="Key"><c>{stackId}/{yyyy}/{MM}/{id}</c>, the folder under the media root; what <see cref="ImageUploadStore.DeleteAsync(string, CancellationToken)"/> takes.</param>
/// <param name="StackId">The stack the image belongs to.</param>
/// <param name="Id">32 random lowercase hex digits.</param>
/// <param name="Format">The original's format: <c>jpeg</c>, <c>png</c>, <c>webp</c> or <c>gif</c>.</param>
/// <param name="Original">The bytes as uploaded; its size is the displayed one (EXIF orientation applied).</param>
/// <param name="Small">At most 300 px wide.</param>
/// <param name="Medium">At most 600 px wide.</param>
/// <param name="Large">At most 1200 px wide.</param>
public sealed record StoredImage(
    string Key,
    int StackId,
    string Id,
    string Format,
    ImageFile Original,
    ImageFile Small,
    ImageFile Medium,
    ImageFile Large);
