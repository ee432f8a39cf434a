namespace Cirt.Grains.Security;

/// <summary>How a would-be recipient stands to a piece of information, from closest to farthest.</summary>
public enum Audience
{
    /// <summary>The CIRT's own staff, which holds the information.</summary>
    Cirt = 1,

    /// <summary>Recipients named individually (for an incident: the organisation that reported it).</summary>
    NamedRecipient = 2,

    /// <summary>The organisation the information is about or came from.</summary>
    ReportingOrganisation = 3,

    /// <summary>Other organisations involved (affected stakeholders) and their clients.</summary>
    InvolvedOrganisation = 4,

    /// <summary>The national community: constituents and partner CIRTs.</summary>
    Community = 5,

    /// <summary>Anyone at all.</summary>
    Anyone = 6,
}
