using Tessera.Server.Compat;

namespace Tessera.Server.Features.Media;

/// <summary>
/// An upload that is not an acceptable image. <see cref="Reason"/> is one of the constants below and
/// becomes the <c>message_id</c> reason of a 400 error; <see cref="Exception.Message"/> is for people.
/// </summary>
public sealed class ImageRejectedException : Exception
{
    /// <summary>More bytes than <see cref="MediaOptions.MaxUploadBytes"/>.</summary>
    public const string ImageTooLarge = "image_too_large";

    /// <summary>Not a JPEG, PNG, WebP or GIF by its magic bytes.</summary>
    public const string UnsupportedImage = "unsupported_image";

    /// <summary>Looks like a supported format but cannot be read or decoded.</summary>
    public const string CorruptImage = "corrupt_image";

    /// <summary>The header declares more than <see cref="MediaOptions.MaxPixels"/> pixels (or a side over 65,535).</summary>
    public const string TooManyPixels = "too_many_pixels";

    public ImageRejectedException()
        : this(CorruptImage, "the image was rejected")
    {
    }

    public ImageRejectedException(string message)
        : this(CorruptImage, message)
    {
    }

    public ImageRejectedException(string message, Exception innerException)
        : this(CorruptImage, message, innerException)
    {
    }

    public ImageRejectedException(string reason, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Reason = reason;
    }

    public string Reason { get; }

    /// <summary>The 400 error object for this rejection, e.g. <c>tile:unsupported_image</c>.</summary>
    public ApiError ToApiError(ApiResource resource) =>
        ApiError.Create(resource, StatusCodes.Status400BadRequest, Reason, Message);
}
