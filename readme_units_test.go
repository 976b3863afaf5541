package main

import (
	"bytes"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// systemdUnit is a unit file as sections of keys and their values, with
// continuation lines joined.
type systemdUnit map[string]map[string][]string

func parseUnit(t *testing.T, b readmeBlock) systemdUnit {
	t.Helper()
	unit := systemdUnit{}
	section := ""
	text := strings.ReplaceAll(b.text, "\\\n", " ")
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		switch {
		case line == "" || strings.HasPrefix(line, "#") || strings.HasPrefix(line, ";"):
		case strings.HasPrefix(line, "[") && strings.HasSuffix(line, "]"):
			section = strings.Trim(line, "[]")
			unit[section] = map[string][]string{}
		default:
			key, value, ok := strings.Cut(line, "=")
			if !ok || section == "" {
				t.Fatalf("README.md %s: %q is not key=value in a section", b.info[1], line)
			}
			unit[section][key] = append(unit[section][key], strings.Join(strings.Fields(value), " "))
		}
	}
	return unit
}

// value returns the one value of key in section.
func (u systemdUnit) value(t *testing.T, section, key string) string {
	t.Helper()
	values := u[section][key]
	if len(values) != 1 {
		t.Fatalf("unit has %d values for [%s] %s=, want 1", len(values), section, key)
	}
	return values[0]
}

func TestReadmeSystemdUnits(t *testing.T) {
	blocks := readmeBlocks(t)
	serviceBlock := onlyBlock(t, blocks, "ini", "accessaudit.service")
	timerBlock := onlyBlock(t, blocks, "ini", "accessaudit.timer")
	service, timer := parseUnit(t, serviceBlock), parseUnit(t, timerBlock)

	want := []struct{ section, key, value string }{
		{"Service", "Type", "oneshot"},
		{"Service", "User", "accessaudit"},
		{"Service", "WorkingDirectory", stateDir},
		{"Service", "UMask", "0077"},
		{"Service", "ReadWritePaths", stateDir},
	}
	for _, w := range want {
		if got := service.value(t, w.section, w.key); got != w.value {
			t.Errorf("accessaudit.service [%s] %s=%s, want %s", w.section, w.key, got, w.value)
		}
	}
	if execStart := service.value(t, "Service", "ExecStart"); strings.ContainsAny(execStart, `"'$%`) {
		t.Errorf("ExecStart=%s uses quotes, variables or specifiers, which the test does not expand", execStart)
	}
	if got := timer.value(t, "Install", "WantedBy"); got != "timers.target" {
		t.Errorf("accessaudit.timer WantedBy=%s, want timers.target", got)
	}
	if got := timer.value(t, "Timer", "Persistent"); got != "true" {
		t.Errorf("accessaudit.timer Persistent=%s, want true", got)
	}

	analyze, err := exec.LookPath("systemd-analyze")
	if err != nil {
		t.Skip("systemd-analyze is not installed (Debian package systemd), so the units are not verified")
	}
	// verify checks that ExecStart='s program exists and that the units the
	// service depends on by default (sysinit.target, ...) exist. The test
	// must not install anything in /usr/local/bin or /etc, so it lays out a
	// folder as the README's set-up does, with the built binary, the units
	// and a copy of the host's system units, and points --root at it. With
	// --root, systemd-analyze looks up unit paths below the root too.
	root := systemdRoot(t)
	for name, text := range map[string]string{"accessaudit.service": serviceBlock.text, "accessaudit.timer": timerBlock.text} {
		if err := os.WriteFile(filepath.Join(root, unitFolder, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	out, err := exec.Command(analyze, "verify", "--root="+root,
		unitFolder+"/accessaudit.service", unitFolder+"/accessaudit.timer").CombinedOutput()
	if err != nil || len(out) != 0 {
		t.Errorf("systemd-analyze verify: %v, output (want none):\n%s", err, out)
	}
	checkExposure(t, analyze, root)
}

// unitFolder is where the README installs the units.
const unitFolder = "/etc/systemd/system"

// systemdRoot returns a folder with the built binary at /usr/local/bin and
// a copy of the host's system unit folder.
func systemdRoot(t *testing.T) string {
	t.Helper()
	root := t.TempDir()
	data, err := os.ReadFile(binary)
	if err != nil {
		t.Fatal(err)
	}
	for _, dir := range []string{filepath.Dir(installedBinary), unitFolder} {
		if err := os.MkdirAll(filepath.Join(root, dir), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(root, installedBinary), data, 0o755); err != nil {
		t.Fatal(err)
	}

	for _, units := range []string{"/usr/lib/systemd/system", "/lib/systemd/system"} {
		if _, err := os.Stat(units); err == nil {
			copyTree(t, units, filepath.Join(root, "usr/lib/systemd/system"))
			return root
		}
	}
	t.Skip("systemd-analyze is installed but no system unit folder was found, so the units are not verified")
	return ""
}

// copyTree copies the folder from to the folder to, keeping symbolic links
// as links.
func copyTree(t *testing.T, from, to string) {
	t.Helper()
	err := filepath.WalkDir(from, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(from, path)
		target := filepath.Join(to, rel)
		switch {
		case d.IsDir():
			return os.MkdirAll(target, 0o755)
		case d.Type()&fs.ModeSymlink != 0:
			link, err := os.Readlink(path)
			if err != nil {
				return err
			}
			return os.Symlink(link, target)
		default:
			data, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			return os.WriteFile(target, data, 0o644)
		}
	})
	if err != nil {
		t.Fatalf("copying %s: %v", from, err)
	}
}

// checkExposure compares the exposure level that "systemd-analyze security"
// gives the service with the one the README states. systemd before 250 has
// no --offline, and the check is skipped there.
func checkExposure(t *testing.T, analyze, root string) {
	t.Helper()
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	claim := regexp.MustCompile(`rates the service's exposure (\d+\.\d)`).FindSubmatch(readme)
	if claim == nil {
		t.Fatal("README.md no longer states the exposure level of the service; update this check")
	}

	out, err := exec.Command(analyze, "security", "--offline=yes", "--root="+root, unitFolder+"/accessaudit.service").CombinedOutput()
	if err != nil && strings.Contains(string(out), "offline") {
		t.Logf("systemd-analyze security has no --offline here, so the exposure level is not checked: %s", out)
		return
	}
	level := regexp.MustCompile(`Overall exposure level for accessaudit.service: (\d+\.\d)`).FindSubmatch(out)
	if level == nil {
		t.Fatalf("systemd-analyze security: %v, no exposure level in:\n%s", err, out)
	}
	if string(level[1]) != string(claim[1]) {
		t.Errorf("systemd-analyze security rates the service %s, the README says %s", level[1], claim[1])
	}
}

// cronJobManifest holds the fields of the README's CronJob. Decoding with
// KnownFields rejects any other field, so a misspelt field fails the test.
type cronJobManifest struct {
	APIVersion string     `yaml:"apiVersion"`
	Kind       string     `yaml:"kind"`
	Metadata   objectMeta `yaml:"metadata"`
	Spec       struct {
		Schedule                   string `yaml:"schedule"`
		ConcurrencyPolicy          string `yaml:"concurrencyPolicy"`
		StartingDeadlineSeconds    int    `yaml:"startingDeadlineSeconds"`
		SuccessfulJobsHistoryLimit int    `yaml:"successfulJobsHistoryLimit"`
		FailedJobsHistoryLimit     int    `yaml:"failedJobsHistoryLimit"`
		JobTemplate                struct {
			Spec struct {
				BackoffLimit *int `yaml:"backoffLimit"`
				Template     struct {
					Spec podSpec `yaml:"spec"`
				} `yaml:"template"`
			} `yaml:"spec"`
		} `yaml:"jobTemplate"`
	} `yaml:"spec"`
}

type objectMeta struct {
	Name string `yaml:"name"`
}

type podSpec struct {
	RestartPolicy                 string `yaml:"restartPolicy"`
	TerminationGracePeriodSeconds int    `yaml:"terminationGracePeriodSeconds"`
	SecurityContext               struct {
		RunAsNonRoot   bool  `yaml:"runAsNonRoot"`
		RunAsUser      int64 `yaml:"runAsUser"`
		RunAsGroup     int64 `yaml:"runAsGroup"`
		FSGroup        int64 `yaml:"fsGroup"`
		SeccompProfile struct {
			Type string `yaml:"type"`
		} `yaml:"seccompProfile"`
	} `yaml:"securityContext"`
	Containers []struct {
		Name            string   `yaml:"name"`
		Image           string   `yaml:"image"`
		Command         []string `yaml:"command"`
		Args            []string `yaml:"args"`
		SecurityContext struct {
			AllowPrivilegeEscalation *bool `yaml:"allowPrivilegeEscalation"`
			ReadOnlyRootFilesystem   bool  `yaml:"readOnlyRootFilesystem"`
			Capabilities             struct {
				Drop []string `yaml:"drop"`
			} `yaml:"capabilities"`
		} `yaml:"securityContext"`
		VolumeMounts []volumeMount `yaml:"volumeMounts"`
	} `yaml:"containers"`
	Volumes []podVolume `yaml:"volumes"`
}

type volumeMount struct {
	Name      string `yaml:"name"`
	MountPath string `yaml:"mountPath"`
	ReadOnly  bool   `yaml:"readOnly"`
}

type podVolume struct {
	Name      string `yaml:"name"`
	Projected *struct {
		DefaultMode int `yaml:"defaultMode"`
		Sources     []struct {
			Secret *struct {
				Name  string `yaml:"name"`
				Items []struct {
					Key  string `yaml:"key"`
					Path string `yaml:"path"`
				} `yaml:"items"`
			} `yaml:"secret"`
			ConfigMap *struct {
				Name string `yaml:"name"`
			} `yaml:"configMap"`
		} `yaml:"sources"`
	} `yaml:"projected"`
	PersistentVolumeClaim *struct {
		ClaimName string `yaml:"claimName"`
	} `yaml:"persistentVolumeClaim"`
}

type pvcManifest struct {
	APIVersion string     `yaml:"apiVersion"`
	Kind       string     `yaml:"kind"`
	Metadata   objectMeta `yaml:"metadata"`
	Spec       struct {
		AccessModes []string `yaml:"accessModes"`
		Resources   struct {
			Requests map[string]string `yaml:"requests"`
		} `yaml:"resources"`
	} `yaml:"spec"`
}

// manifestDocuments splits the block into YAML documents and returns each
// as its kind and its encoded text.
func manifestDocuments(t *testing.T, b readmeBlock) map[string][]byte {
	t.Helper()
	docs := map[string][]byte{}
	dec := yaml.NewDecoder(strings.NewReader(b.text))
	for {
		var node yaml.Node
		err := dec.Decode(&node)
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("README.md line %d: the manifest is not YAML: %v", b.line, err)
		}
		var head struct {
			Kind string `yaml:"kind"`
		}
		if err := node.Decode(&head); err != nil {
			t.Fatal(err)
		}
		text, err := yaml.Marshal(&node)
		if err != nil {
			t.Fatal(err)
		}
		if _, dup := docs[head.Kind]; dup {
			t.Fatalf("README.md line %d: the manifest has two documents of kind %q", b.line, head.Kind)
		}
		docs[head.Kind] = text
	}
	return docs
}

// decodeStrict decodes text into v and rejects fields that v lacks.
func decodeStrict(t *testing.T, text []byte, v any) {
	t.Helper()
	dec := yaml.NewDecoder(bytes.NewReader(text))
	dec.KnownFields(true)
	if err := dec.Decode(v); err != nil {
		t.Fatalf("manifest document: %v\n%s", err, text)
	}
}

func readCronJob(t *testing.T, b readmeBlock) cronJobManifest {
	t.Helper()
	text, ok := manifestDocuments(t, b)["CronJob"]
	if !ok {
		t.Fatalf("README.md line %d: the manifest has no CronJob", b.line)
	}
	var job cronJobManifest
	decodeStrict(t, text, &job)
	if n := len(job.Spec.JobTemplate.Spec.Template.Spec.Containers); n != 1 {
		t.Fatalf("the CronJob has %d containers, want 1", n)
	}
	return job
}

// configVolume returns the CronJob's projected volume that holds the key.
func configVolume(t *testing.T, job cronJobManifest) podVolume {
	t.Helper()
	for _, v := range job.Spec.JobTemplate.Spec.Template.Spec.Volumes {
		if v.Projected != nil {
			return v
		}
	}
	t.Fatal("the CronJob has no projected volume for the key and the lists")
	return podVolume{}
}

func TestReadmeCronJobManifest(t *testing.T) {
	blocks := readmeBlocks(t)
	b := onlyBlock(t, blocks, "yaml", "accessaudit-cronjob.yaml")
	docs := manifestDocuments(t, b)
	job := readCronJob(t, b)
	var pvc pvcManifest
	decodeStrict(t, docs["PersistentVolumeClaim"], &pvc)

	if job.APIVersion != "batch/v1" || job.Kind != "CronJob" {
		t.Errorf("apiVersion %q kind %q, want batch/v1 CronJob", job.APIVersion, job.Kind)
	}
	cronSchedule, _ := crontabEntry(t, onlyBlock(t, blocks, "crontab"))
	if job.Spec.Schedule != cronSchedule {
		t.Errorf("CronJob schedule %q, want the crontab line's %q", job.Spec.Schedule, cronSchedule)
	}
	if job.Spec.ConcurrencyPolicy != "Forbid" {
		t.Errorf("concurrencyPolicy %q, want Forbid", job.Spec.ConcurrencyPolicy)
	}
	pod := job.Spec.JobTemplate.Spec.Template.Spec
	if pod.RestartPolicy != "Never" {
		t.Errorf("restartPolicy %q, want Never: a failed run is retried by the next day's run", pod.RestartPolicy)
	}
	if bl := job.Spec.JobTemplate.Spec.BackoffLimit; bl == nil || *bl != 0 {
		t.Errorf("backoffLimit %v, want 0 as the README explains", bl)
	}

	// The key comes from a Secret, mounted as a file at the path that
	// --api-key-file names, with the mode the scheduled test gives it.
	container := pod.Containers[0]
	keyPath := flagValue(t, container.Args, "--api-key-file")
	config := configVolume(t, job)
	if config.Projected.DefaultMode != 0o440 {
		t.Errorf("defaultMode %#o, want 0440 as the README says", config.Projected.DefaultMode)
	}
	if mountPath(t, container.VolumeMounts, config.Name) != filepath.Dir(keyPath) {
		t.Errorf("--api-key-file %s is not in the mount of volume %s", keyPath, config.Name)
	}
	secretHoldsKey := false
	for _, src := range config.Projected.Sources {
		if src.Secret != nil {
			for _, item := range src.Secret.Items {
				secretHoldsKey = secretHoldsKey || item.Path == filepath.Base(keyPath)
			}
		}
	}
	if !secretHoldsKey {
		t.Errorf("no Secret item is mounted as %s", filepath.Base(keyPath))
	}

	// The reports and the journal go to the PersistentVolumeClaim.
	var data podVolume
	for _, v := range pod.Volumes {
		if v.PersistentVolumeClaim != nil {
			data = v
		}
	}
	if data.PersistentVolumeClaim == nil || data.PersistentVolumeClaim.ClaimName != pvc.Metadata.Name {
		t.Fatalf("no volume claims the manifest's PersistentVolumeClaim %q", pvc.Metadata.Name)
	}
	dataMount := mountPath(t, container.VolumeMounts, data.Name)
	for _, flag := range []string{"--output-dir", "--journal"} {
		if value := flagValue(t, container.Args, flag); !strings.HasPrefix(value, dataMount+"/") {
			t.Errorf("%s %s is not on the persistent volume mounted at %s", flag, value, dataMount)
		}
	}

	dockerfile := onlyBlock(t, blocks, "dockerfile")
	if !regexp.MustCompile(`(?m)^COPY --from=build \S+ ` + regexp.QuoteMeta(container.Command[0]) + `$`).MatchString(dockerfile.text) {
		t.Errorf("the Dockerfile does not install the binary at %s, the CronJob's command", container.Command[0])
	}
}

// flagValue returns the argument after flag in args.
func flagValue(t *testing.T, args []string, flag string) string {
	t.Helper()
	i := slices.Index(args, flag)
	if i < 0 || i+1 >= len(args) {
		t.Fatalf("args %q lack %s and its value", args, flag)
	}
	return args[i+1]
}

// mountPath returns where the container mounts the named volume.
func mountPath(t *testing.T, mounts []volumeMount, name string) string {
	t.Helper()
	for _, m := range mounts {
		if m.Name == name {
			return m.MountPath
		}
	}
	t.Fatalf("the container does not mount volume %q", name)
	return ""
}
