#:property PublishAot=false

// A fixed-count load generator for bench/webhooks.sh: exactly COUNT POST /api/tiles (the form body
// of bench/ingest.lua, as the SDK posts it) over CONNECTIONS keep-alive connections, each connection
// sending its next request as soon as its previous answer is in (closed loop, like wrk). Unlike wrk it
// stops after COUNT requests and waits for every answer, so the tiles acknowledged are known exactly.
// A request is never retried (a retry could store a tile twice). Before timing, 3 s of GETs of WARM_URL
// warm up this process's own HTTP code. Prints "timing" as the timed part starts, "half MS" once COUNT/2 tiles are acknowledged (MS into
// the timed part), then a result line: acknowledged= failed= seconds= rate= p50_ms= p99_ms= and the
// CPU seconds this process used while timed (it shares the cores with the server), cpu_s=.
// Usage: dotnet loader.dll URL COUNT CONNECTIONS TAGS WARM_URL
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;

var url = args[0];
var count = int.Parse(args[1], CultureInfo.InvariantCulture);
var connections = int.Parse(args[2], CultureInfo.InvariantCulture);
var tags = args[3];
var warmUrl = args[4];
var run = Guid.NewGuid().ToString("N")[..8];

using var client = new HttpClient(new SocketsHttpHandler
{
    MaxConnectionsPerServer = connections,
    PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
    UseProxy = false,
    AutomaticDecompression = DecompressionMethods.None,
})
{ Timeout = TimeSpan.FromSeconds(60) };
var formType = new MediaTypeHeaderValue("application/x-www-form-urlencoded");

var warmUntil = Stopwatch.GetTimestamp() + (3 * Stopwatch.Frequency);
await Task.WhenAll(Enumerable.Range(0, connections).Select(async _ =>
{
    while (Stopwatch.GetTimestamp() < warmUntil)
    {
        using var response = await client.GetAsync(warmUrl);
        await response.Content.ReadAsByteArrayAsync();
    }
}));

var next = -1;
var acknowledged = 0;
var failed = 0;
var latencies = new double[count];
var statuses = new System.Collections.Concurrent.ConcurrentDictionary<string, int>();
var half = count / 2;
Console.WriteLine("timing");
var cpuBefore = Environment.CpuUsage.TotalTime;
var watch = Stopwatch.StartNew();
await Task.WhenAll(Enumerable.Range(0, connections).Select(async connection =>
{
    int i;
    while ((i = Interlocked.Increment(ref next)) < count)
    {
        var body = Encoding.UTF8.GetBytes(
            $"name=Bench+fan&message=Bench+post+{run}-{i}+%23bench&image_url=https%3A%2F%2Fcdn.example.com%2Fi%2F{run}-{i}.jpg&tags={tags}");
        var started = Stopwatch.GetTimestamp();
        string outcome;
        try
        {
            using var content = new ByteArrayContent(body);
            content.Headers.ContentType = formType;
            using var response = await client.PostAsync(url, content);
            await response.Content.ReadAsByteArrayAsync();
            outcome = ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture);
        }
        catch (Exception e)
        {
            outcome = e.GetType().Name;
        }

        latencies[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        if (outcome == "200")
        {
            if (Interlocked.Increment(ref acknowledged) == half)
            {
                Console.WriteLine($"half {watch.ElapsedMilliseconds}");
            }
        }
        else
        {
            Interlocked.Increment(ref failed);
            statuses.AddOrUpdate(outcome, 1, (_, n) => n + 1);
        }
    }
}));
var seconds = watch.Elapsed.TotalSeconds;
var cpu = (Environment.CpuUsage.TotalTime - cpuBefore).TotalSeconds;

Array.Sort(latencies);
double Percentile(double p) => latencies[Math.Min(count - 1, (int)Math.Ceiling(p * count) - 1)];
foreach (var (status, n) in statuses)
{
    Console.WriteLine($"not acknowledged: {n} x {status}");
}

Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"acknowledged={acknowledged} failed={failed} seconds={seconds:0.00} rate={acknowledged / seconds:0} p50_ms={Percentile(0.50):0.0} p99_ms={Percentile(0.99):0.0} cpu_s={cpu:0.0}"));
