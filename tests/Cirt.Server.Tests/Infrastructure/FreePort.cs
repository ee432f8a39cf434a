namespace Cirt.Server.Tests;

/// <summary>An unused TCP port on 127.0.0.1, outside the range port-0 binds draw from (<see cref="Cirt.Tests.LoopbackPorts"/>).</summary>
public static class FreePort
{
    public static int Next() => Cirt.Tests.LoopbackPorts.Next();
}
