using System.Reflection;
using Cirt.Grains.Partners;

namespace Cirt.Server.Tests.Federation;

/// <summary>A partner grain (see <see cref="PartnerGrains"/>) that answers GetAsync with a registration given, and nothing else.</summary>
public class FixedPartnerGrain : DispatchProxy
{
    public Partner? Partner { get; set; }

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args) => targetMethod?.Name == nameof(IPartnerGrain.GetAsync)
        ? Task.FromResult(Partner)
        : throw new NotSupportedException($"The outbox dispatcher under test called IPartnerGrain.{targetMethod?.Name}.");
}
