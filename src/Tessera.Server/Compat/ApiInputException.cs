namespace Tessera.Server.Compat;

/// <summary>
/// The request itself cannot be read (malformed body, invalid UTF-8, too many parameters).
/// Thrown only inside the compatibility layer while parsing, and answered as a 400 envelope.
/// </summary>
public sealed class ApiInputException(string message, int statusCode = StatusCodes.Status400BadRequest) : Exception(message)
{
    public int StatusCode { get; } = statusCode;
}
