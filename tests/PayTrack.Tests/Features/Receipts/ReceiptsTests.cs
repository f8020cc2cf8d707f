using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using PayTrack.Tests.Support;

namespace PayTrack.Tests.Features.Receipts;

public sealed class ReceiptsTests : ApiTest
{
    private static byte[] Jpeg(int size = 2048)
    {
        var bytes = new byte[size];
        Random.Shared.NextBytes(bytes);
        bytes[0] = 0xFF; bytes[1] = 0xD8; bytes[2] = 0xFF; bytes[3] = 0xE0;
        return bytes;
    }

    private static byte[] WithHead(byte[] head, int size = 1024)
    {
        var bytes = new byte[size];
        Random.Shared.NextBytes(bytes);
        head.CopyTo(bytes, 0);
        return bytes;
    }

    private static async Task<HttpResponseMessage> UploadAsync(HttpClient client, Guid expenseId, byte[] bytes, string fileName = "receipt.jpg", string declared = "image/jpeg")
    {
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(bytes);
        file.Headers.ContentType = new MediaTypeHeaderValue(declared);
        form.Add(file, "file", fileName);
        return await client.PostAsync($"/api/v1/expenses/{expenseId}/receipts", form);
    }

    private string BlobDirectory => Path.Combine(App.Database.Directory, "blobs");

    [Fact]
    public async Task Upload_ThenDownload_AnswersTheSameBytes()
    {
        var me = await App.RegisterAndSignInAsync();
        var e = await me.Client.CreateExpenseAsync(new { amount = "10.00", date = "2026-03-05" });
        var bytes = Jpeg(300_000);
        var res = await UploadAsync(me.Client, e.Id, bytes, "../../etc/passwd.jpg");
        await res.ShouldHaveStatusAsync(HttpStatusCode.Created);
        var receipt = (await res.Content.ReadFromJsonAsync<ReceiptDto>())!;
        receipt.ContentType.ShouldBe("image/jpeg");
        receipt.Size.ShouldBe(bytes.Length);
        receipt.Sha256.ShouldBe(Convert.ToHexStringLower(SHA256.HashData(bytes)));
        receipt.FileName.ShouldBe("passwd.jpg");

        (await me.Client.GetFromJsonAsync<ExpenseDto>($"/api/v1/expenses/{e.Id}"))!.Receipts.Single().Id.ShouldBe(receipt.Id);
        var download = await me.Client.GetAsync($"/api/v1/receipts/{receipt.Id}");
        await download.ShouldHaveStatusAsync(HttpStatusCode.OK);
        download.Content.Headers.ContentType!.MediaType.ShouldBe("image/jpeg");
        (await download.Content.ReadAsByteArrayAsync()).ShouldBe(bytes);
        File.Exists(Path.Combine(BlobDirectory, receipt.Sha256[..2], receipt.Sha256)).ShouldBeTrue();
    }

    public static TheoryData<string, byte[]> AcceptedTypes => new()
    {
        { "image/png", [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] },
        { "image/webp", "RIFF\x10\0\0\0WEBPVP8 "u8.ToArray() },
        { "application/pdf", "%PDF-1.7\n"u8.ToArray() },
    };

    [Theory]
    [MemberData(nameof(AcceptedTypes))]
    public async Task Upload_RecognisesTypeFromBytes_NotFromName(string expected, byte[] head)
    {
        var me = await App.RegisterAndSignInAsync();
        var e = await me.Client.CreateExpenseAsync(new { amount = "10.00", date = "2026-03-05" });
        var res = await UploadAsync(me.Client, e.Id, WithHead(head), "scan.bin", "application/octet-stream");
        await res.ShouldHaveStatusAsync(HttpStatusCode.Created);
        (await res.Content.ReadFromJsonAsync<ReceiptDto>())!.ContentType.ShouldBe(expected);
    }

    [Fact]
    public async Task Upload_RenamedExecutable_Returns415_AndKeepsNothing()
    {
        var me = await App.RegisterAndSignInAsync();
        var e = await me.Client.CreateExpenseAsync(new { amount = "10.00", date = "2026-03-05" });
        var res = await UploadAsync(me.Client, e.Id, WithHead("MZ\x90\0"u8.ToArray()), "photo.jpg", "image/jpeg");
        await res.ShouldBeProblemAsync(HttpStatusCode.UnsupportedMediaType, "/problems/unsupported-receipt-type");
        (await me.Client.GetFromJsonAsync<ExpenseDto>($"/api/v1/expenses/{e.Id}"))!.Receipts.ShouldBeEmpty();
        (Directory.Exists(BlobDirectory) ? Directory.GetFiles(BlobDirectory, "*", SearchOption.AllDirectories) : []).ShouldBeEmpty();
    }

    [Fact]
    public async Task Upload_AtTheLimit_IsAccepted_AndAboveIt_Returns413()
    {
        var me = await App.RegisterAndSignInAsync();
        var e = await me.Client.CreateExpenseAsync(new { amount = "10.00", date = "2026-03-05" });
        await (await UploadAsync(me.Client, e.Id, Jpeg(10 * 1024 * 1024))).ShouldHaveStatusAsync(HttpStatusCode.Created);
        await (await UploadAsync(me.Client, e.Id, Jpeg(10 * 1024 * 1024 + 1))).ShouldBeProblemAsync(HttpStatusCode.RequestEntityTooLarge);
        await (await UploadAsync(me.Client, e.Id, Jpeg(12 * 1024 * 1024))).ShouldBeProblemAsync(HttpStatusCode.RequestEntityTooLarge);
        (await me.Client.GetFromJsonAsync<ExpenseDto>($"/api/v1/expenses/{e.Id}"))!.Receipts.Count.ShouldBe(1);
    }

    [Fact]
    public async Task Upload_WhenNotMultipartOrNoFile_IsRefused()
    {
        var me = await App.RegisterAndSignInAsync();
        var e = await me.Client.CreateExpenseAsync(new { amount = "10.00", date = "2026-03-05" });
        var res = await me.Client.PostAsync($"/api/v1/expenses/{e.Id}/receipts", new ByteArrayContent(Jpeg()));
        await res.ShouldBeProblemAsync(HttpStatusCode.UnsupportedMediaType);
        using var form = new MultipartFormDataContent { { new StringContent("x"), "note" } };
        res = await me.Client.PostAsync($"/api/v1/expenses/{e.Id}/receipts", form);
        (await res.ShouldBeProblemAsync(HttpStatusCode.BadRequest)).Errors!.Keys.ShouldBe(["file"]);
    }

    [Fact]
    public async Task AnotherUsersReceipt_Answers404()
    {
        var owner = await App.RegisterAndSignInAsync();
        var other = await App.RegisterAndSignInAsync();
        var e = await owner.Client.CreateExpenseAsync(new { amount = "10.00", date = "2026-03-05" });
        var receipt = (await (await UploadAsync(owner.Client, e.Id, Jpeg())).Content.ReadFromJsonAsync<ReceiptDto>())!;
        await (await other.Client.GetAsync($"/api/v1/receipts/{receipt.Id}")).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await (await other.Client.DeleteAsync($"/api/v1/receipts/{receipt.Id}")).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await (await UploadAsync(other.Client, e.Id, Jpeg())).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await (await owner.Client.GetAsync($"/api/v1/receipts/{receipt.Id}")).ShouldHaveStatusAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task DeletingTheExpense_DeletesItsReceipts_AndBlobsNoLongerShared()
    {
        var me = await App.RegisterAndSignInAsync();
        var other = await App.RegisterAndSignInAsync();
        var e1 = await me.Client.CreateExpenseAsync(new { amount = "10.00", date = "2026-03-05" });
        var e2 = await other.Client.CreateExpenseAsync(new { amount = "10.00", date = "2026-03-05" });
        var shared = Jpeg();
        var own = Jpeg();
        var r1 = (await (await UploadAsync(me.Client, e1.Id, shared)).Content.ReadFromJsonAsync<ReceiptDto>())!;
        var r2 = (await (await UploadAsync(me.Client, e1.Id, own)).Content.ReadFromJsonAsync<ReceiptDto>())!;
        var r3 = (await (await UploadAsync(other.Client, e2.Id, shared)).Content.ReadFromJsonAsync<ReceiptDto>())!;
        r3.Sha256.ShouldBe(r1.Sha256);

        await (await me.Client.DeleteAsync($"/api/v1/expenses/{e1.Id}")).ShouldHaveStatusAsync(HttpStatusCode.NoContent);
        await (await me.Client.GetAsync($"/api/v1/receipts/{r1.Id}")).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await (await me.Client.GetAsync($"/api/v1/receipts/{r2.Id}")).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        File.Exists(Path.Combine(BlobDirectory, r2.Sha256[..2], r2.Sha256)).ShouldBeFalse();
        (await (await other.Client.GetAsync($"/api/v1/receipts/{r3.Id}")).Content.ReadAsByteArrayAsync()).ShouldBe(shared);

        await (await other.Client.DeleteAsync($"/api/v1/receipts/{r3.Id}")).ShouldHaveStatusAsync(HttpStatusCode.NoContent);
        File.Exists(Path.Combine(BlobDirectory, r3.Sha256[..2], r3.Sha256)).ShouldBeFalse();
    }
}
