#:sdk Microsoft.NET.Sdk.Web
#:property PublishAot=false

// A deliberately unreliable webhook receiver for bench/webhooks.sh. Every POST is checked against
// X-Stackla-Webhook-Signature (lowercase hex HMAC-SHA256 of the raw body with SECRET); a random
// FAILURE_RATE of the well-signed ones is answered 500, the others 200 (a bad signature: 401). Each
// request appends one line, "<status> <event id> <signature ok: 1|0>", to LOG_FILE before the answer
// goes out, and each start appends "start". The log is replayed at start, so the script can kill the
// receiver (kill -9, as a crash) and start it again: the counts and the event ids seen carry over.
// GET /stats answers the totals as JSON; a duplicate is a 200 for an event id already answered 200.
// POST /warm (the script's warm-up) is always answered 200 and not counted.
// Usage: dotnet receiver.dll URL SECRET LOG_FILE [FAILURE_RATE=0.3]
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

var url = args[0];
var secret = Encoding.UTF8.GetBytes(args[1]);
var logPath = args[2];
var failureRate = args.Length > 3 ? double.Parse(args[3], CultureInfo.InvariantCulture) : 0.3;

var stats = new Stats();
if (File.Exists(logPath))
{
    foreach (var line in File.ReadLines(logPath))
    {
        var parts = line.Split(' ');
        if (line == "start")
        {
            stats.Starts++;
        }
        else if (parts.Length == 3)
        {
            stats.Count(int.Parse(parts[0], CultureInfo.InvariantCulture), parts[1], parts[2] == "1");
        }
    }
}

stats.Starts++;
var log = new StreamWriter(new FileStream(logPath, FileMode.Append, FileAccess.Write, FileShare.Read)) { AutoFlush = true };
log.WriteLine("start");

var builder = WebApplication.CreateSlimBuilder();
builder.Logging.ClearProviders();
builder.WebHost.UseUrls(url);
var app = builder.Build();

app.MapPost("/hook", async (HttpContext context) =>
{
    using var buffer = new MemoryStream();
    await context.Request.Body.CopyToAsync(buffer);
    var signature = Convert.ToHexStringLower(HMACSHA256.HashData(secret, buffer.ToArray()));
    var signed = context.Request.Headers["X-Stackla-Webhook-Signature"].ToString() == signature;
    var eventId = context.Request.Headers["X-Tessera-Event-Id"].ToString();
    var ok = signed && eventId.Length > 0 && !eventId.Contains(' ');
    var status = !ok ? 401 : Random.Shared.NextDouble() < failureRate ? 500 : 200;
    lock (stats)
    {
        // Logged before answering: a 200 the server never sees (a kill in between) is then retried
        // and shows up as a duplicate, never as a lost event.
        log.WriteLine($"{status} {(eventId.Length == 0 || eventId.Contains(' ') ? "-" : eventId)} {(signed ? 1 : 0)}");
        stats.Count(status, eventId, signed);
    }

    context.Response.StatusCode = status;
});

// The warm-up subscription of the script: always 200, not counted.
app.MapPost("/warm", () => Results.Ok());

app.MapGet("/stats", () =>
{
    lock (stats)
    {
        return Results.Text(
            $"{{\"requests\":{stats.Requests},\"failed_on_purpose\":{stats.FailedOnPurpose},\"ok\":{stats.Ok}," +
            $"\"distinct_events\":{stats.Seen.Count},\"duplicates\":{stats.Duplicates},\"bad_signatures\":{stats.BadSignatures}," +
            $"\"starts\":{stats.Starts}}}",
            "application/json");
    }
});

await app.RunAsync();

internal sealed class Stats
{
    public HashSet<string> Seen { get; } = new(StringComparer.Ordinal);

    public long Requests { get; private set; }

    public long FailedOnPurpose { get; private set; }

    public long Ok { get; private set; }

    public long Duplicates { get; private set; }

    public long BadSignatures { get; private set; }

    public int Starts { get; set; }

    public void Count(int status, string eventId, bool signed)
    {
        Requests++;
        BadSignatures += signed ? 0 : 1;
        if (status == 500)
        {
            FailedOnPurpose++;
        }
        else if (status == 200)
        {
            Ok++;
            Duplicates += Seen.Add(eventId) ? 0 : 1;
        }
    }
}
