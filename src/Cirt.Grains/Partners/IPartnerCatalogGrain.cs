namespace Cirt.Grains.Partners;

/// <summary>The ids of every registered partner (one grain, key <see cref="Key"/>).</summary>
public interface IPartnerCatalogGrain : IGrainWithStringKey
{
    const string Key = "partners";

    Task<string[]> ListAsync();

    Task AddAsync(string partnerId);
}
