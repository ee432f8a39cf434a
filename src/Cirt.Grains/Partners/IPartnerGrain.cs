namespace Cirt.Grains.Partners;

/// <summary>One partner CIRT, keyed by its instance id.</summary>
public interface IPartnerGrain : IGrainWithStringKey
{
    Task<Partner?> GetAsync();

    /// <summary>Registers the partner; ALREADY_EXISTS when it is registered.</summary>
    Task<Partner> RegisterAsync(PartnerRegistration registration, string actor);

    Task<Partner> UpdateAgreementAsync(SharingAgreement agreement, long expectedVersion, string actor);

    /// <summary>Sets where the partner listens and the key it issued to us (empty: the one held stays).</summary>
    Task<Partner> UpdateEndpointAsync(string endpointUrl, string outboundApiKey, long expectedVersion, string actor);

    /// <summary>Adds a newer signing key; the current keys stay valid for <paramref name="overlap"/>.</summary>
    Task<Partner> AddKeyAsync(string publicKeyPem, TimeSpan overlap, string actor);

    Task<Partner> SuspendAsync(string reason, string actor);

    Task<Partner> ResumeAsync(string actor);
}
