namespace PayTrack.Domain;

/// <summary>
/// International Bank Account Numbers (ISO 13616): a withdrawal's destination that is written like one is checked,
/// so a mistyped digit is caught before money leaves. Anything else (a description, an account at a bank in a
/// country without IBANs) is not an IBAN and is left alone.
/// </summary>
public static class Iban
{
    // Countries that issue IBANs (the SWIFT registry). A country missing here only means its IBANs go unchecked.
    private static readonly HashSet<string> Countries = new(StringComparer.Ordinal)
    {
        "AD", "AE", "AL", "AT", "AZ", "BA", "BE", "BG", "BH", "BI", "BR", "BY", "CH", "CR", "CY", "CZ", "DE", "DJ", "DK", "DO", "EE", "EG", "ES",
        "FI", "FK", "FO", "FR", "GB", "GE", "GI", "GL", "GR", "GT", "HR", "HU", "IE", "IL", "IQ", "IS", "IT", "JO", "KW", "KZ", "LB", "LC", "LI",
        "LT", "LU", "LV", "LY", "MC", "MD", "ME", "MK", "MN", "MR", "MT", "MU", "NI", "NL", "NO", "OM", "PK", "PL", "PS", "PT", "QA", "RO", "RS",
        "RU", "SA", "SC", "SD", "SE", "SI", "SK", "SM", "SO", "ST", "SV", "TL", "TN", "TR", "UA", "VA", "VG", "XK", "YE",
    };

    /// <summary>The text without spaces and in capitals, when it has an IBAN's shape and an IBAN country's code; else null.</summary>
    public static string? Candidate(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        var s = string.Concat(text.Where(c => c is not (' ' or '-'))).ToUpperInvariant();
        if (s.Length is < 15 or > 34 || !Countries.Contains(s[..2]) || !char.IsAsciiDigit(s[2]) || !char.IsAsciiDigit(s[3])) return null;
        return s.All(char.IsAsciiLetterOrDigit) ? s : null;
    }

    /// <summary>Whether the check digits hold: the number, its first four characters moved to the end and letters as 10–35, is 1 modulo 97.</summary>
    public static bool HasValidCheckDigits(string candidate)
    {
        var remainder = 0;
        foreach (var c in candidate[4..] + candidate[..4])
        {
            var value = char.IsAsciiDigit(c) ? c - '0' : c - 'A' + 10;
            remainder = value >= 10 ? (remainder * 100 + value) % 97 : (remainder * 10 + value) % 97;
        }
        return remainder == 1;
    }
}
