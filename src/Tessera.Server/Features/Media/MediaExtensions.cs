using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Tessera.Server.Features.Media;

/// <summary>Registers the image store and serves its files under <c>/media/</c>.</summary>
public static class MediaExtensions
{
    /// <summary>Only the image types the store writes are ever served.</summary>
    private static readonly Dictionary<string, string> ContentTypes = new(StringComparer.OrdinalIgnoreCase)
    {
        [".jpg"] = "image/jpeg",
        [".png"] = "image/png",
        [".webp"] = "image/webp",
        [".gif"] = "image/gif",
    };

    /// <summary><see cref="MediaOptions"/> from <c>Tessera:Media</c> (validated on start) and the <see cref="ImageUploadStore"/> singleton.</summary>
    public static IServiceCollection AddTesseraMedia(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<MediaOptions>()
            .Bind(configuration.GetSection(MediaOptions.Section))
            .PostConfigure<IHostEnvironment>((o, host) =>
            {
                if (!string.IsNullOrWhiteSpace(o.Root))
                {
                    o.Root = Path.GetFullPath(o.Root, host.ContentRootPath);
                }
            })
            .Validate(
                MediaOptions.IsValid,
                $"Tessera:Media: Root must be set, MaxUploadBytes between 1 and {MediaOptions.UploadBytesCeiling}, MaxPixels positive and JpegQuality 1-100")
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<ImageUploadStore>();
        return services;
    }

    /// <summary>
    /// Serves the files of <see cref="MediaOptions.Root"/> under <c>/media/</c> (the folder is created
    /// if missing): only the files the store writes (see <see cref="MediaFileProvider"/>), with
    /// <c>nosniff</c> and a year of immutable caching since a stored file never changes.
    /// </summary>
    public static IApplicationBuilder UseTesseraMedia(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var store = app.ApplicationServices.GetRequiredService<ImageUploadStore>();
        var files = new MediaFileProvider(store.Root);
        app.ApplicationServices.GetRequiredService<IHostApplicationLifetime>().ApplicationStopped.Register(files.Dispose);
        return app.UseStaticFiles(new StaticFileOptions
        {
            RequestPath = ImageUploadStore.UrlPrefix,
            FileProvider = files,
            ContentTypeProvider = new FileExtensionContentTypeProvider(ContentTypes),
            ServeUnknownFileTypes = false,
            OnPrepareResponse = context =>
            {
                var headers = context.Context.Response.Headers;
                headers.XContentTypeOptions = "nosniff";
                headers.CacheControl = "public, max-age=31536000, immutable";
            },
        });
    }
}
