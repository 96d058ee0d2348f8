// TEMPORARY until the media branch merges.
namespace Tessera.Server.Features.Media;

public sealed class ImageUploadStore
{
    public Task<StoredImage> StoreAsync(int stackId, Stream content, CancellationToken ct) => throw new NotSupportedException();

    public Task DeleteAsync(StoredImage image, CancellationToken ct) => Task.CompletedTask;
}

public sealed record StoredImage(string OriginalUrl, int Width, int Height, string SmallUrl, int SmallWidth, int SmallHeight, string MediumUrl, int MediumWidth, int MediumHeight, string LargeUrl, int LargeWidth, int LargeHeight);

public sealed class ImageRejectedException(string reason, string message) : Exception(message)
{
    public string Reason { get; } = reason;
}

public static class MediaPlaceholderRegistration
{
    public static IServiceCollection AddTesseraMedia(this IServiceCollection services, IConfiguration configuration)
    {
        _ = configuration;
        return services.AddSingleton<ImageUploadStore>();
    }
}
