namespace Cirt.Server.Tests.Backup;

/// <summary>One acknowledgement a producer received: how many events it made durable, when the batch went out and when its acknowledgement came back.</summary>
public sealed record ProducerAck(string BatchId, int Accepted, TimeSpan SentAt, TimeSpan AckedAt)
{
    public TimeSpan Latency => AckedAt - SentAt;
}
