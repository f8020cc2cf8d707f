using System.Net;
using System.Net.Http.Json;
using PayTrack.Tests.Support;

namespace PayTrack.Tests.Features.Groups;

public sealed class GroupReceiptsTests : ApiTest
{
    private static readonly byte[] Png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, .. new byte[200]];

    private static MultipartFormDataContent File(byte[] bytes, string name = "bill.png")
    {
        var form = new MultipartFormDataContent();
        form.Add(new ByteArrayContent(bytes), "file", name);
        return form;
    }

    public sealed record ReceiptDto(Guid Id, Guid ExpenseId, string FileName, string ContentType, long Size, string Sha256, DateTime CreatedAt);

    [Fact]
    public async Task AnyMember_UploadsAndDownloads_OthersGet404_AndDeletingTheExpenseRemovesThem()
    {
        var a = await App.RegisterAndSignInAsync();
        var b = await App.RegisterAndSignInAsync();
        var stranger = await App.RegisterAndSignInAsync();
        var group = await a.CreateGroupAsync();
        await a.JoinAsync(group.Id, b);
        var e = await a.AddExpenseAsync(group.Id, new { description = "Hotel", amount = "80", date = "2026-03-01", split = GroupSteps.Equal(a, b) });

        var res = await b.Client.PostAsync($"/api/v1/groups/{group.Id}/expenses/{e.Id}/receipts", File(Png));
        await res.ShouldHaveStatusAsync(HttpStatusCode.Created);
        var receipt = (await res.Content.ReadFromJsonAsync<ReceiptDto>())!;
        receipt.ContentType.ShouldBe("image/png");
        res.Headers.Location!.ToString().ShouldBe($"/api/v1/groups/{group.Id}/receipts/{receipt.Id}");

        var download = await a.Client.GetAsync($"/api/v1/groups/{group.Id}/receipts/{receipt.Id}");
        await download.ShouldHaveStatusAsync(HttpStatusCode.OK);
        (await download.Content.ReadAsByteArrayAsync()).ShouldBe(Png);
        (await a.Client.GetFromJsonAsync<List<ReceiptDto>>($"/api/v1/groups/{group.Id}/expenses/{e.Id}/receipts"))!.ShouldHaveSingleItem().Id.ShouldBe(receipt.Id);

        await (await stranger.Client.GetAsync($"/api/v1/groups/{group.Id}/receipts/{receipt.Id}")).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await (await stranger.Client.PostAsync($"/api/v1/groups/{group.Id}/expenses/{e.Id}/receipts", File(Png))).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await (await stranger.Client.GetAsync($"/api/v1/groups/{group.Id}/expenses/{e.Id}/receipts")).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await (await a.Client.PostAsync($"/api/v1/groups/{group.Id}/expenses/{e.Id}/receipts", File("not an image"u8.ToArray(), "x.txt")))
            .ShouldBeProblemAsync(HttpStatusCode.UnsupportedMediaType);

        await (await a.Client.DeleteAsync($"/api/v1/groups/{group.Id}/expenses/{e.Id}")).ShouldHaveStatusAsync(HttpStatusCode.NoContent);
        await (await a.Client.GetAsync($"/api/v1/groups/{group.Id}/receipts/{receipt.Id}")).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        Directory.EnumerateFiles(Path.Combine(App.Database.Directory, "blobs"), "*", SearchOption.AllDirectories)
            .ShouldNotContain(f => f.Contains(receipt.Sha256, StringComparison.OrdinalIgnoreCase));
    }
}
