using Google.Protobuf.Reflection;
using Proto = Cirt.Contracts.V1;

namespace Cirt.Server.Api;

/// <summary>The proto files of the public API: every service the server maps is in one of them.</summary>
public static class CirtApi
{
    public static readonly FileDescriptor[] Files =
    [
        Proto.ReportingReflection.Descriptor, Proto.IncidentReflection.Descriptor, Proto.StakeholderReflection.Descriptor,
        Proto.SectorReflection.Descriptor, Proto.KeyReflection.Descriptor, Proto.IngestReflection.Descriptor,
        Proto.PlaybookReflection.Descriptor, Proto.AdvisoryReflection.Descriptor,
        Proto.InboxReflection.Descriptor,
    ];
}
