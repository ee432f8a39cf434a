using System.Globalization;
using System.Text.Json.Nodes;

namespace Cirt.Server.Tests.IntelMq;

/// <summary>
/// Events written as IntelMQ writes them (its harmonization's flat, dotted keys; times as
/// "2026-11-30T14:19:09+00:00"), with values of our own: documentation addresses, private AS numbers.
/// </summary>
public static class IntelMqEvents
{
    /// <summary>IntelMQ's time format: UTC with an explicit +00:00, to the second.</summary>
    public static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'+00:00'", CultureInfo.InvariantCulture);

    /// <summary>
    /// A command-and-control server as a tracker feed's parser and IntelMQ's experts leave it: the
    /// keys Cirt maps, and geolocation, network, AS name, feed accuracy, observation time and two
    /// extra.* keys that Cirt has no field for.
    /// </summary>
    public static JsonObject C2Server(string feed, string ip, DateTimeOffset? observed = null) => new()
    {
        ["feed.name"] = feed,
        ["feed.accuracy"] = 100,
        ["classification.taxonomy"] = "malicious-code",
        ["classification.type"] = "c2-server",
        ["classification.identifier"] = "botnet-x",
        ["malware.name"] = "botnet-x",
        ["source.ip"] = ip,
        ["source.port"] = 443,
        ["source.asn"] = 4200000001L,
        ["source.as_name"] = "EXAMPLE-AS",
        ["source.network"] = ip + "/32",
        ["source.geolocation.cc"] = "XA",
        ["source.geolocation.city"] = "sample city",
        ["source.geolocation.latitude"] = 31.95,
        ["source.geolocation.longitude"] = 35.93,
        ["extra.status"] = "online",
        ["extra.first_seen"] = "2026-11-29",
        ["time.source"] = Time(observed ?? DateTimeOffset.UtcNow.AddMinutes(-30)),
        ["time.observation"] = Time(DateTimeOffset.UtcNow.AddMinutes(-1)),
    };

    /// <summary>A scanning host seen by a sensor, with a destination and the original line (raw, base64).</summary>
    public static JsonObject Scanner(string feed, string ip, int destinationPort = 22) => new()
    {
        ["feed.name"] = feed,
        ["classification.taxonomy"] = "information-gathering",
        ["classification.type"] = "scanner",
        ["source.ip"] = ip,
        ["source.port"] = 50123,
        ["destination.ip"] = "192.0.2.200",
        ["destination.port"] = destinationPort,
        ["protocol.transport"] = "tcp",
        ["raw"] = Convert.ToBase64String("scan,198.18.0.1,22"u8.ToArray()),
        ["time.source"] = Time(DateTimeOffset.UtcNow.AddMinutes(-10)),
        ["time.observation"] = Time(DateTimeOffset.UtcNow.AddMinutes(-2)),
    };

    /// <summary>The same event as IntelMQ writes it with hierarchical_output: keys split at their dots.</summary>
    public static JsonObject Hierarchical(JsonObject flat)
    {
        var nested = new JsonObject();
        foreach (var (key, value) in flat)
        {
            var parts = key.Split('.');
            var at = nested;
            foreach (var part in parts[..^1])
            {
                at = (at[part] ??= new JsonObject()).AsObject();
            }

            at[parts[^1]] = value?.DeepClone();
        }

        return nested;
    }
}
