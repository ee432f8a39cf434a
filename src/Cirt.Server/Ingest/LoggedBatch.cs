namespace Cirt.Server.Ingest;

/// <summary>
/// One batch as the ingest log holds it: its log position, when and from whom it came, its events
/// (a cirt.v1.EventBatch) still encoded in the first <see cref="Length"/> bytes of a buffer rented
/// from the shared array pool, and its refused events by feed ("feed=count;feed=count").
/// </summary>
public sealed record LoggedBatch(long Seq, long ReceivedAt, string Producer, byte[] Events, int Length, string Rejected);
