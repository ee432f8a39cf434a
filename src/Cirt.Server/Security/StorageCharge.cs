namespace Cirt.Server.Security;

/// <summary>Bytes a call was charged against its key's storage quota, and the bucket they went in (to refund them when nothing was stored).</summary>
public sealed record StorageCharge(long Bucket, long Bytes);
