using System.Reflection;
using Google.Protobuf.Reflection;

namespace Cirt.Contracts.V1;

/// <summary>
/// Every proto file compiled into this assembly (protos/cirt/v1/*.proto), found through the
/// generated <c>*Reflection</c> classes rather than listed: a file added to protos/ is here without
/// anyone naming it, and so are its services.
/// </summary>
public static class ProtoFiles
{
    /// <summary>The files' descriptors, ordered by name ("cirt/v1/advisory.proto", ...).</summary>
    public static IReadOnlyList<FileDescriptor> All { get; } = typeof(ProtoFiles).Assembly.GetTypes()
        .Where(type => type.IsAbstract && type.IsSealed && type.Name.EndsWith("Reflection", StringComparison.Ordinal))
        .Select(type => type.GetProperty("Descriptor", BindingFlags.Public | BindingFlags.Static)?.GetValue(null))
        .OfType<FileDescriptor>()
        .OrderBy(file => file.Name, StringComparer.Ordinal)
        .ToArray();

    /// <summary>Every service of every file.</summary>
    public static IEnumerable<ServiceDescriptor> Services => All.SelectMany(file => file.Services);
}
