using System.Reflection;
using Cirt.Grains.Partners;

namespace Cirt.Server.Tests.Federation;

/// <summary>
/// The grain factory an outbox dispatcher sees, without a silo: it hands out partner grains that
/// answer GetAsync with the registrations given, and nothing else (any other call fails the test).
/// </summary>
public class PartnerGrains : DispatchProxy
{
    private IReadOnlyDictionary<string, Partner> _partners = new Dictionary<string, Partner>();

    public static IGrainFactory Of(params Partner[] partners)
    {
        var factory = Create<IGrainFactory, PartnerGrains>();
        ((PartnerGrains)(object)factory)._partners = partners.ToDictionary(p => p.Id);
        return factory;
    }

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        if (targetMethod is { Name: nameof(IGrainFactory.GetGrain), IsGenericMethod: true } && targetMethod.GetGenericArguments()[0] == typeof(IPartnerGrain)
            && args?[0] is string id)
        {
            var grain = Create<IPartnerGrain, FixedPartnerGrain>();
            ((FixedPartnerGrain)(object)grain).Partner = _partners.GetValueOrDefault(id);
            return grain;
        }

        throw new NotSupportedException($"The outbox dispatcher under test called {targetMethod?.Name}, which this grain factory does not offer.");
    }

}
