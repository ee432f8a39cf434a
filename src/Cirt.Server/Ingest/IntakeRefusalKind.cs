namespace Cirt.Server.Ingest;

/// <summary>Why <see cref="EventIntake"/> refused an event: the event itself, its feed's permission, or its feed's quota.</summary>
public enum IntakeRefusalKind
{
    /// <summary>The event breaks a rule of its own (<see cref="EventRules.Refuse"/>).</summary>
    Invalid,

    /// <summary>Its feed is not registered, not granted to the calling key, suspended, or may not report about the event's target.</summary>
    NotPermitted,

    /// <summary>Its feed has used its quota for this minute; the same event may be sent again in the next.</summary>
    OverQuota,
}
