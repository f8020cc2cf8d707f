using PayTrack.Data;

namespace PayTrack.Features.Auth;

/// <summary>
/// Something a feature sets up for every new user (a Main wallet, default categories, …). Each
/// runs inside the registration transaction, after the user row is saved: if one fails, nobody is registered.
/// Register an implementation with <c>services.AddScoped&lt;IUserProvisioner, X&gt;()</c>.
/// </summary>
public interface IUserProvisioner
{
    Task ProvisionAsync(PayTrackDb db, User user, CancellationToken ct);
}
