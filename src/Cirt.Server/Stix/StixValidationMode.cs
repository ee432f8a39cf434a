namespace Cirt.Server.Stix;

/// <summary>Which side of the rules a bundle is checked on.</summary>
public enum StixValidationMode
{
    /// <summary>
    /// A bundle we write: timestamps with exactly millisecond precision, every id a version 4 UUID,
    /// every reference, markings included, resolving inside the bundle.
    /// </summary>
    Export,

    /// <summary>
    /// A bundle we read: timestamps with any fractional precision (still UTC and real dates); ids of
    /// UUID version 4, or 5 (the deterministic ids OpenCTI gives objects and STIX recommends for
    /// cyber-observables); references to the TLP markings STIX and OpenCTI predefine resolve even
    /// when the bundle leaves their objects out.
    /// </summary>
    Import,
}
