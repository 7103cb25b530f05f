package org.rodsgate.reverse;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * An in-memory OMERO for the reverse direction's JUnit tests: filesets "commit" when added (in any id order), jobs
 * and images change as a test stages an import, deletions are EventLog rows. Counts queries; can be made to fail.
 */
final class FakeOmero implements OmeroSide {
    final TreeMap<Long, OmeroFileset> filesets = new TreeMap<>();
    final Map<Long, List<Long>> images = new TreeMap<>();
    final List<Deletion> events = new ArrayList<>();
    final List<String> described = new ArrayList<>();
    int queries;
    int rowsRead;
    boolean down;
    private long nextImage = 1000;
    private long nextEvent = 1;

    static OmeroOriginalFile file(long id, String name, long size, String clientPath) {
        return new OmeroOriginalFile(id, "alice_2/2026-12/01/03-00-00.000/", name, size, "ab" + id, "SHA1-160",
            clientPath);
    }

    /** A fileset as OMERO commits it before the upload: UploadJob not Finished, no images. */
    OmeroFileset start(long id, String owner, String group, String transfer, long created, OmeroOriginalFile... f) {
        OmeroFileset fs = new OmeroFileset(id, owner, group, "alice_2/2026-12/01/03-00-00.000/", transfer, false, 0,
            created, List.of(f));
        filesets.put(id, fs);
        return fs;
    }

    void uploadFinished(long id) {
        OmeroFileset f = filesets.get(id);
        filesets.put(id, new OmeroFileset(id, f.owner(), f.group(), f.templatePrefix(), f.transfer(), true, f.images(),
            f.createdMillis(), f.files()));
    }

    void imagesAppear(long id, int n) {
        OmeroFileset f = filesets.get(id);
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ids.add(nextImage++);
        }
        images.put(id, ids);
        filesets.put(id, new OmeroFileset(id, f.owner(), f.group(), f.templatePrefix(), f.transfer(),
            f.uploadFinished(), n, f.createdMillis(), f.files()));
    }

    /** A finished import: upload Finished and images. */
    OmeroFileset finished(long id, String owner, String group, String transfer, long created, OmeroOriginalFile... f) {
        start(id, owner, group, transfer, created, f);
        uploadFinished(id);
        imagesAppear(id, 1);
        return filesets.get(id);
    }

    void delete(long id, long at) {
        filesets.remove(id);
        images.remove(id);
        events.add(new Deletion(nextEvent++, id, at));
    }

    private void ask() throws IOException {
        queries++;
        if (down) {
            throw new IOException("omero hql: cannot connect to localhost:4064 (the fake is down)");
        }
    }

    private static OmeroFileset summary(OmeroFileset f) {
        return f.withFiles(List.of());
    }

    @Override
    public List<OmeroFileset> filesetsAfter(long afterId, int limit) throws IOException {
        ask();
        List<OmeroFileset> out = new ArrayList<>();
        for (OmeroFileset f : filesets.tailMap(afterId, false).values()) {
            if (out.size() == limit) {
                break;
            }
            out.add(summary(f));
        }
        rowsRead += out.size();
        return out;
    }

    @Override
    public List<OmeroFileset> filesets(List<Long> ids) throws IOException {
        ask();
        List<OmeroFileset> out = new ArrayList<>();
        for (Long id : ids) {
            if (filesets.containsKey(id)) {
                out.add(summary(filesets.get(id)));
            }
        }
        rowsRead += out.size();
        return out;
    }

    @Override
    public OmeroFileset fileset(long id) throws IOException {
        ask();
        return filesets.get(id);
    }

    @Override
    public List<Long> images(long fileset) throws IOException {
        ask();
        return images.getOrDefault(fileset, List.of());
    }

    @Override
    public List<Deletion> deletionsAfter(long afterEvent, int limit) throws IOException {
        ask();
        return events.stream().filter(d -> d.eventId() > afterEvent).limit(limit).toList();
    }

    @Override
    public List<Long> filesetsOf(String object) throws IOException {
        ask();
        if (object.startsWith("Fileset:")) {
            long id = Long.parseLong(object.substring(8));
            return filesets.containsKey(id) ? List.of(id) : List.of();
        }
        throw new IllegalArgumentException(object);
    }

    @Override
    public void describe(String user, long fileset, List<Long> imgs, List<Map.Entry<String, String>> pairs)
        throws IOException {
        ask();
        if (pairs.stream().map(Map.Entry::getKey).distinct().count() != pairs.size()) {
            throw new IllegalArgumentException("map annotation key given twice (omero obj map-set keeps one): " + pairs);
        }
        described.add(user + " Fileset:" + fileset + " " + imgs + " " + pairs);
    }

    @Override
    public void download(long originalFile, Path to) throws IOException {
        throw new IOException("not used");
    }
}
