#:sdk Microsoft.NET.Sdk.Web
#:property PublishAot=false

// The machine's ceiling for the Content API benchmark (decisions §5): a bare ASP.NET Core endpoint
// answering every request with the same pre-serialized bytes, with the headers a cached Content API
// page carries. Usage: dotnet run -c Release bench/ceiling/ceiling.cs -- BODY_FILE URL
var builder = WebApplication.CreateSlimBuilder();
builder.Logging.ClearProviders();
builder.WebHost.UseUrls(args[1]);
var app = builder.Build();
var body = await File.ReadAllBytesAsync(args[0]);
app.MapGet("/", (HttpContext context) =>
{
    context.Response.Headers.ETag = "\"ceiling\"";
    context.Response.Headers.CacheControl = "public, max-age=180";
    context.Response.Headers.AccessControlAllowOrigin = "*";
    return Results.Bytes(body, "application/json");
});
await app.RunAsync();
