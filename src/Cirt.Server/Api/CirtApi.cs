using Google.Protobuf.Reflection;
using Proto = Cirt.Contracts.V1;

namespace Cirt.Server.Api;

/// <summary>The proto files of the public API that declare services: every service the server maps is in one of them.</summary>
public static class CirtApi
{
    public static readonly FileDescriptor[] Files = Proto.ProtoFiles.All.Where(file => file.Services.Count > 0).ToArray();
}
