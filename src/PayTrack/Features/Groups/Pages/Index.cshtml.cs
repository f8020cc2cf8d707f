using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using PayTrack.Data;
using PayTrack.Infrastructure.Auth;
using PayTrack.Infrastructure.Outbox;
using PayTrack.Infrastructure.Web;

namespace PayTrack.Features.Groups.Pages;

/// <summary>The caller's groups (<see cref="ListGroups"/>) and a form to create one (<see cref="CreateGroup"/>).</summary>
public sealed class IndexModel(PayTrackDb db, DomainEvents events, TimeProvider clock) : PageModel
{
    [BindProperty] public CreateGroupRequest Form { get; set; } = new(null, null);
    public IReadOnlyList<GroupResponse> Groups { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        await LoadAsync(ct);
        var me = User.UserId();
        Form = new CreateGroupRequest(null, await db.Users.Where(u => u.Id == me).Select(u => u.DefaultCurrency).FirstAsync(ct));
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        ModelState.Clear();
        var result = await CreateGroup.Handle(Form, User, db, events, clock, ct);
        if (UseCaseErrors.AddTo(ModelState, result.Result, "Form"))
        {
            await LoadAsync(ct);
            return Page();
        }
        var created = ((Created<GroupResponse>)result.Result).Value!;
        TempData["Flash"] = $"Created {created.Name}. Invite people to it below.";
        return Redirect($"/groups/{created.Id}");
    }

    public string MyBalance(GroupResponse g) => g.Members.First(m => m.UserId == User.UserId()).Balance;

    private async Task LoadAsync(CancellationToken ct) => Groups = (await ListGroups.Handle(User, db, ct)).Value!.Items;
}
