namespace PayTrack.Infrastructure.Payments;

/// <summary>The provider API's messages (shared by the client and the sandbox).</summary>
public sealed record ProviderPaymentRequest(string Reference, string Kind, string Amount, string Currency, string? Method, string? Destination, string? CallbackUrl);
public sealed record ProviderPayment(string Id, string Reference, string Status, string? Reason);
/// <summary>What the provider sends to the callback URL (signed).</summary>
public sealed record ProviderCallback(string Id, string Reference, string Status, string? Reason);
