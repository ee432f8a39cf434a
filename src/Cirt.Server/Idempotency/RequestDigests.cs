using System.Security.Cryptography;
using System.Text;
using Cirt.Grains.Common;
using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace Cirt.Server.Idempotency;

/// <summary>
/// Reads a request's request_id through protobuf reflection, whatever the message, and digests what
/// the request asks: its bytes with request_id cleared, so the same request sent again has the same
/// digest and any other change (a field, a value) another one.
/// </summary>
public static class RequestDigests
{
    /// <summary>The field every mutating request carries for safe retries.</summary>
    public const string Field = "request_id";

    /// <summary>
    /// Methods whose request_id is part of their own idempotency, kept in what they store (a report
    /// is one incident, a NIS2 report one per stage): the ledger leaves them alone.
    /// </summary>
    public static readonly IReadOnlySet<string> OwnIdempotency = new HashSet<string>(StringComparer.Ordinal)
    {
        "/cirt.v1.ReportingService/SubmitIncident",
        "/cirt.v1.ReportingService/SubmitNis2Report",
    };

    /// <summary>The request's request_id, or "" when it has none (or the message has no such field).</summary>
    public static string RequestIdOf(IMessage request) =>
        FieldOf(request.Descriptor) is { } field ? (string)field.Accessor.GetValue(request) : "";

    /// <summary>SHA-256 of <paramref name="request"/>'s bytes without its request_id.</summary>
    public static byte[] Of(IMessage request)
    {
        var copy = request.Descriptor.Parser.ParseFrom(request.ToByteString());
        FieldOf(copy.Descriptor)?.Accessor.Clear(copy);
        return SHA256.HashData(copy.ToByteArray());
    }

    /// <summary>How the grains a request changes remember it (<see cref="RecentRequests"/>): short digests of its key and of what it asked.</summary>
    public static RecentRequest Remembered(RequestKey key, byte[] digest) =>
        new(Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes($"{key.KeyId}\n{key.Method}\n{key.RequestId}")), 0, 16),
            Convert.ToHexString(digest, 0, 16));

    private static FieldDescriptor? FieldOf(MessageDescriptor descriptor) =>
        descriptor.FindFieldByName(Field) is { FieldType: FieldType.String, IsRepeated: false } field ? field : null;
}
