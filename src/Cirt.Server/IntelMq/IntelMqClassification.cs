namespace Cirt.Server.IntelMq;

/// <summary>An RSIT class and type for an IntelMQ classification (<see cref="IntelMqTaxonomy"/>), and whether IntelMQ's own type must be kept to say more than RSIT can.</summary>
public sealed record IntelMqClassification(string RsitClass, string RsitType, bool KeepType);
