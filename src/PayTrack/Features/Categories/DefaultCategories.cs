using PayTrack.Data;
using PayTrack.Features.Auth;

namespace PayTrack.Features.Categories;

/// <summary>Gives every new user a starting set of categories, inside the registration transaction.</summary>
public sealed class DefaultCategories : IUserProvisioner
{
    public static readonly IReadOnlyList<(string Name, string Color)> Defaults =
    [
        ("Food", "#E4572E"), ("Transport", "#17BEBB"), ("Housing", "#76B041"), ("Utilities", "#FFC914"),
        ("Health", "#2E86AB"), ("Entertainment", "#A23B72"), ("Shopping", "#F18F01"), ("Other", "#6C757D"),
    ];

    public Task ProvisionAsync(PayTrackDb db, User user, CancellationToken ct)
    {
        foreach (var (name, color) in Defaults)
        {
            db.Categories.Add(new Category
            {
                Id = Guid.CreateVersion7(), UserId = user.Id, Name = name, Color = color,
                CreatedAt = user.CreatedAt, UpdatedAt = user.CreatedAt,
            });
        }
        return Task.CompletedTask;
    }
}
